#!/usr/bin/env python3
"""Writes parks/net-park-profile.csv: the hourly profile of parks/net-park.toml.

What it models (one non-leap year, 8,760 rows, hour 1 = 1 January 00:00-01:00 local
time, China Standard Time UTC+8; the calendar is that of 2023, whose 1 January is a
Sunday):

load -- electricity demand of an illustrative East China chemical park, including
        its electric chillers (docs/energy-and-nets.md: the baseline load and the
        chillers follow this column):
        * a continuous base of 72 % (chlor-alkali, air separation, cracker and other
          24-hour processes run all year);
        * two shifts on top (08:00-16:00 at +28 %, 16:00-24:00 at +22 %, one-hour
          ramps at 07:00 and 00:00) on working days; Saturdays carry half of the
          shift load, Sundays and the Spring Festival (21-27 January 2023) and
          National Day (1-7 October) holidays a fifth;
        * chillers: the park's cooling demand over the baseline is taken as 35 %
          process cooling (flat) and 65 % driven by the degree hours above 20 C of
          a smooth Hangzhou temperature model (daily mean 17 C +- 12 C, lowest in
          mid January, highest in mid July, +-4 C daily swing peaking at 14:00;
          climate normals: January about 5 C, July about 29 C). The chiller part is
          weighted to its share of the annual total in net-park.toml: cooling
          160,000 MWh / COP 3.5 = 45,714 MWh against 680,000 MWh of other load.

pv   -- output of one fixed PV array in Hangzhou (30.27 N, 120.15 E), tilted 20
        degrees to the south:
        * sun position from Cooper's declination, Spencer's equation of time and
          the hour angle at four quarter-hour points of each hour (averaged);
        * clear-sky global horizontal irradiance from the Haurwitz model
          (1098 cos z exp(-0.057 / cos z) W/m2);
        * cloudiness: a clear-sky index per day, drawn from a fixed xorshift32
          sequence (seed 20230101, so the file is the same on every run and
          platform): the day is overcast (index 0.12-0.40) with a monthly
          probability that follows the East China rain seasons (spring rains,
          the plum rains of mid June to early July, dry clear autumn), otherwise
          partly cloudy to clear (0.60-1.00); hours vary by +-10 % (+-25 % on
          partly cloudy days) around the day's index;
        * beam and diffuse split by the Erbs et al. (1982) correlation, plane of
          array by the isotropic sky model with ground albedo 0.2;
        * a cell-temperature derating of -0.35 %/K with NOCT 45 C.
        The monthly overcast probabilities were tuned by hand so that the monthly
        horizontal totals follow the shape of the Hangzhou climatology (lowest in
        January-February, a June dip, highest in July-August; about 1,200-1,300
        kWh/m2 a year); they are assumptions, not a measured weather year.

Only the shapes matter: parkplan scales each column to the park's annual totals,
so load is written relative to its mean (3 decimals) and pv relative to its
highest hour (4 decimals). Standard library only.

Usage: python3 scripts/net-park-profile.py [OUTPUT]   (default parks/net-park-profile.csv)
       python3 scripts/net-park-profile.py --check     (summary, writes nothing)
"""

import datetime
import math
import os
import sys

YEAR = 2023  # calendar of the weekdays only: 1 January 2023 is a Sunday
HOURS = 8760

# ---------------------------------------------------------------------------
# Deterministic pseudo-random numbers (xorshift32, Marsaglia 2003).


class XorShift32:
    def __init__(self, seed):
        self.state = seed & 0xFFFFFFFF or 1

    def uniform(self):
        """Next number in [0, 1)."""
        x = self.state
        x ^= (x << 13) & 0xFFFFFFFF
        x ^= x >> 17
        x ^= (x << 5) & 0xFFFFFFFF
        self.state = x
        return x / 4294967296.0


# ---------------------------------------------------------------------------
# Weather: temperature and cloudiness.

def temperature_c(day, hour):
    """Ambient temperature (C) at `hour` (0-24, fractional) of day `day` (0-364)."""
    daily_mean = 17.0 - 12.0 * math.cos(2.0 * math.pi * (day - 15.0) / 365.0)
    return daily_mean + 4.0 * math.cos(2.0 * math.pi * (hour - 14.0) / 24.0)


# Probability that a day is overcast, by month (January first).
OVERCAST = [0.33, 0.52, 0.55, 0.45, 0.45, 0.47, 0.32, 0.30, 0.38, 0.36, 0.30, 0.40]


def daily_clear_sky_index(rng):
    """Clear-sky index of each day of the year and whether it is partly cloudy."""
    out = []
    for day in range(365):
        month = (datetime.date(YEAR, 1, 1) + datetime.timedelta(days=day)).month
        if rng.uniform() < OVERCAST[month - 1]:
            out.append((0.12 + 0.28 * rng.uniform(), False))
        else:
            k = 0.60 + 0.40 * rng.uniform()
            out.append((k, k < 0.85))
    return out


# ---------------------------------------------------------------------------
# Sun position and irradiance.

LAT = math.radians(30.27)
LON_DEG = 120.15
TZ_MERIDIAN_DEG = 120.0
TILT = math.radians(20.0)
ALBEDO = 0.2
SOLAR_CONSTANT = 1367.0  # W/m2


def sun(day, clock_hour):
    """(cos zenith, cos incidence on the array, extraterrestrial normal W/m2)."""
    n = day + 1
    gamma = 2.0 * math.pi * (n - 1) / 365.0
    decl = math.radians(23.45) * math.sin(2.0 * math.pi * (284 + n) / 365.0)  # Cooper 1969
    eot_min = 229.18 * (0.000075 + 0.001868 * math.cos(gamma) - 0.032077 * math.sin(gamma)
                        - 0.014615 * math.cos(2 * gamma) - 0.040849 * math.sin(2 * gamma))  # Spencer 1971
    solar_hour = clock_hour + (4.0 * (LON_DEG - TZ_MERIDIAN_DEG) + eot_min) / 60.0
    omega = math.radians(15.0 * (solar_hour - 12.0))
    cos_z = (math.sin(LAT) * math.sin(decl)
             + math.cos(LAT) * math.cos(decl) * math.cos(omega))
    # South-facing tilted plane: same as a horizontal plane at latitude LAT - TILT.
    lat_eff = LAT - TILT
    cos_i = (math.sin(lat_eff) * math.sin(decl)
             + math.cos(lat_eff) * math.cos(decl) * math.cos(omega))
    extra = SOLAR_CONSTANT * (1.0 + 0.033 * math.cos(2.0 * math.pi * n / 365.0))
    return cos_z, cos_i, extra


def erbs_diffuse_fraction(kt):
    """Diffuse share of global horizontal irradiance (Erbs, Klein, Duffie 1982)."""
    if kt <= 0.22:
        return 1.0 - 0.09 * kt
    if kt <= 0.80:
        return 0.9511 - 0.1604 * kt + 4.388 * kt**2 - 16.638 * kt**3 + 12.336 * kt**4
    return 0.165


def pv_and_ghi(day, clock_hour, kc):
    """(PV output in W per m2 of array, global horizontal W/m2) at one instant."""
    cos_z, cos_i, extra = sun(day, clock_hour)
    if cos_z <= 0.01:
        return 0.0, 0.0
    ghi = kc * 1098.0 * cos_z * math.exp(-0.057 / cos_z)  # Haurwitz 1945 clear sky
    kt = min(ghi / (extra * cos_z), 1.0)
    dhi = erbs_diffuse_fraction(kt) * ghi
    dni = max((ghi - dhi) / cos_z, 0.0)
    poa = (dni * max(cos_i, 0.0)
           + dhi * (1.0 + math.cos(TILT)) / 2.0
           + ghi * ALBEDO * (1.0 - math.cos(TILT)) / 2.0)
    t_cell = temperature_c(day, clock_hour) + poa * (45.0 - 20.0) / 800.0
    return poa * (1.0 - 0.0035 * (t_cell - 25.0)), ghi


# ---------------------------------------------------------------------------
# Load.

HOLIDAYS = set()
for start, days in ((datetime.date(YEAR, 1, 21), 7), (datetime.date(YEAR, 10, 1), 7)):
    for k in range(days):
        HOLIDAYS.add(start + datetime.timedelta(days=k))

BASE = 0.72
DAY_SHIFT = 0.28
EVENING_SHIFT = 0.22
PROCESS_MWH = 680_000.0          # net-park.toml [energy] electricity_demand
CHILLER_MWH = 160_000.0 / 3.5    # cooling_demand / economics.chiller_cop


def shift_load(hour):
    """Shift component at clock hour `hour` (0-23, the hour starting then)."""
    if 8 <= hour < 16:
        return DAY_SHIFT
    if 16 <= hour < 24:
        return EVENING_SHIFT
    if hour == 7:
        return DAY_SHIFT / 2.0   # start-up ramp
    if hour == 0:
        return EVENING_SHIFT / 2.0  # run-down after the evening shift
    return 0.0


def shift_factor(date):
    if date in HOLIDAYS or date.weekday() == 6:
        return 0.2
    if date.weekday() == 5:
        return 0.5
    return 1.0


def build():
    rng = XorShift32(20230101)
    days = daily_clear_sky_index(rng)
    process, cooling, pv, ghi = [], [], [], []
    start = datetime.date(YEAR, 1, 1)
    for h in range(HOURS):
        day, hour = divmod(h, 24)
        date = start + datetime.timedelta(days=day)
        # The run-down at 00:00 belongs to the previous day's evening shift.
        factor_date = date - datetime.timedelta(days=1) if hour == 0 else date
        process.append(BASE + shift_factor(factor_date) * shift_load(hour))
        t = temperature_c(day, hour + 0.5)
        cooling.append(0.35 + 0.65 * max(t - 20.0, 0.0) / 5.0)
        kc_day, partly = days[day]
        swing = 0.25 if partly else 0.10
        kc = max(kc_day * (1.0 + swing * (2.0 * rng.uniform() - 1.0)), 0.05)
        p = g = 0.0
        for q in (0.125, 0.375, 0.625, 0.875):
            pq, gq = pv_and_ghi(day, hour + q, kc)
            p += pq / 4.0
            g += gq / 4.0
        pv.append(max(p, 0.0))
        ghi.append(g)
    # Weight process load and chillers by their annual energy, then scale to mean 1.
    sp, sc = sum(process), sum(cooling)
    load = [PROCESS_MWH * a / sp + CHILLER_MWH * b / sc for a, b in zip(process, cooling)]
    mean = sum(load) / HOURS
    load = [x / mean for x in load]
    peak = max(pv)
    pv = [x / peak for x in pv]
    return load, pv, ghi


def fmt(x, decimals):
    s = f"{x:.{decimals}f}".rstrip("0").rstrip(".")
    return s if s not in ("", "-0") else "0"


def check(load, pv, ghi):
    print(f"load: min {min(load):.3f}, max {max(load):.3f}, mean {sum(load) / HOURS:.3f}")
    print(f"pv: full-load hours (relative to the highest hour) {sum(pv):.0f}")
    print(f"global horizontal irradiation {sum(ghi) / 1000:.0f} kWh/m2/yr; by month:")
    start = datetime.date(YEAR, 1, 1)
    months = [0.0] * 12
    for h, g in enumerate(ghi):
        months[(start + datetime.timedelta(days=h // 24)).month - 1] += g / 1000.0
    print("  " + " ".join(f"{m:.0f}" for m in months))


def main():
    load, pv, ghi = build()
    if sys.argv[1:] == ["--check"]:
        check(load, pv, ghi)
        return
    here = os.path.dirname(os.path.abspath(__file__))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "parks", "net-park-profile.csv")
    with open(out, "w", newline="\n") as f:
        f.write("load,pv\n")
        for a, b in zip(load, pv):
            f.write(f"{fmt(a, 3)},{fmt(b, 4)}\n")


if __name__ == "__main__":
    main()
