#!/usr/bin/env python3
"""Solve parkplan's exported MILP with HiGHS and compare with `parkplan solve`.

    scripts/highs-compare.py [--parkplan BIN] [--objective economic|carbon]
                             [--set KEY=VALUE ...] [--pareto N] PARK [PARK ...]

For each park: `parkplan export PARK --format mps` is written to a temporary
file, HiGHS (highspy) solves it to proven optimality (mip_rel_gap 1e-9), and
`parkplan solve PARK --format json` gives parkplan's plan. Prints both optima,
their relative difference, each solver's time (HiGHS: in-process solve only;
parkplan: the solver's own `seconds`, in-process) and the ratio.

With --pareto N, also the N-point epsilon-constraint front: HiGHS solves the
economic file with the CO2 row (the carbon file's objective >= epsilon) added,
at the same N targets parkplan uses, and the total times are compared with
`parkplan pareto --points N` (wall clock of the whole command, ends included).

highspy is not a dependency of parkplan: the script installs it with pip into
a virtual environment of its own ($PARKPLAN_HIGHS_VENV, default
~/.cache/parkplan-highs-venv) the first time and re-runs itself there.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

VENV = os.environ.get(
    "PARKPLAN_HIGHS_VENV", os.path.expanduser("~/.cache/parkplan-highs-venv")
)


def ensure_highspy():
    try:
        import highspy  # noqa: F401

        return
    except ImportError:
        pass
    py = os.path.join(VENV, "bin", "python")
    if os.path.abspath(sys.executable) == os.path.abspath(py):
        sys.exit("highspy did not install into " + VENV)
    if not os.path.exists(py):
        print(f"installing highspy into {VENV} ...", file=sys.stderr)
        subprocess.check_call([sys.executable, "-m", "venv", VENV])
        subprocess.check_call([py, "-m", "pip", "install", "-q", "highspy"])
    os.execv(py, [py] + sys.argv)


def export(binary, park, objective, sets, path):
    cmd = [binary, "export", park, "--format", "mps", "--objective", objective,
           "--output", path, "--force"]
    for s in sets:
        cmd += ["--set", s]
    subprocess.check_call(cmd)


def highs_model(path):
    import highspy

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("mip_rel_gap", 1e-9)
    h.setOptionValue("time_limit", 600.0)
    h.readModel(path)
    return h


def highs_solve(h):
    t = time.perf_counter()
    h.run()
    secs = time.perf_counter() - t
    status = h.modelStatusToString(h.getModelStatus())
    value = h.getInfo().objective_function_value
    return value, secs, status


def parkplan_solve(binary, park, objective, sets):
    cmd = [binary, "solve", park, "--format", "json", "--objective", objective]
    for s in sets:
        cmd += ["--set", s]
    out = json.loads(subprocess.check_output(cmd))
    tot = out["totals"]
    value = tot["annual_benefit"] if objective == "economic" else tot["annual_co2_reduction"]
    return value, out["solver"]["seconds"], out["solver"]


def pareto(binary, park, n, sets, tmp):
    import highspy

    econ = os.path.join(tmp, "econ.mps")
    carb = os.path.join(tmp, "carbon.mps")
    export(binary, park, "economic", sets, econ)
    export(binary, park, "carbon", sets, carb)
    # The ends, as parkplan takes them: the economic optimum's CO2 and the
    # carbon optimum.
    he = highs_model(econ)
    highs_solve(he)
    x = list(he.getSolution().col_value)
    hc = highs_model(carb)
    cmax, _, _ = highs_solve(hc)
    ccost = list(hc.getLp().col_cost_)
    lo = sum(c * v for c, v in zip(ccost, x))
    total = 0.0
    values = []
    for k in range(n):
        eps = lo + (cmax - lo) * k / (n - 1)
        h = highs_model(econ)
        idx = [j for j, c in enumerate(ccost) if c != 0.0]
        h.addRow(eps * (1 - 1e-9), highspy.kHighsInf, len(idx), idx, [ccost[j] for j in idx])
        v, secs, status = highs_solve(h)
        total += secs
        values.append(v if status == "Optimal" else None)
    cmd = [binary, "pareto", park, "--points", str(n), "--format", "json"]
    for s in sets:
        cmd += ["--set", s]
    t = time.perf_counter()
    out = json.loads(subprocess.check_output(cmd))
    pp = time.perf_counter() - t
    proven = sum(1 for p in out["points"] if p.get("proven_optimal"))
    return total, pp, len(out["points"]), proven, values


def main():
    ensure_highspy()
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("parks", nargs="+")
    ap.add_argument("--parkplan", default=os.environ.get("PARKPLAN", "target/release/parkplan"))
    ap.add_argument("--objective", choices=["economic", "carbon"], default="economic")
    ap.add_argument("--set", action="append", default=[], dest="sets")
    ap.add_argument("--pareto", type=int, default=0, metavar="N")
    a = ap.parse_args()
    print(f"{'park':40} {'objective':9} {'parkplan':>18} {'HiGHS':>18} {'rel.diff':>9} "
          f"{'parkplan s':>11} {'HiGHS s':>9} {'ratio':>8}")
    worst = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for park in a.parks:
            path = os.path.join(tmp, "model.mps")
            export(a.parkplan, park, a.objective, a.sets, path)
            hv, hs, status = highs_solve(highs_model(path))
            pv, ps, info = parkplan_solve(a.parkplan, park, a.objective, a.sets)
            diff = (hv - pv) / max(abs(hv), 1.0)
            worst = max(worst, abs(diff))
            ratio = hs / ps if ps > 0 else float("inf")
            name = os.path.basename(park) + ("" if not a.sets else " " + " ".join(a.sets))
            flag = "" if status == "Optimal" else f" (HiGHS: {status})"
            gap = "" if info.get("proven_optimal") else f" (parkplan gap {info.get('gap', 0):.1e})"
            print(f"{name[:40]:40} {a.objective:9} {pv:18.6f} {hv:18.6f} {diff:9.1e} "
                  f"{ps:11.6f} {hs:9.4f} {ratio:8.0f}x{flag}{gap}")
            if a.pareto >= 2:
                hsum, pp, kept, proven, _ = pareto(a.parkplan, park, a.pareto, a.sets, tmp)
                print(f"  pareto {a.pareto} points: HiGHS {hsum:.3f} s (solves only), "
                      f"parkplan {pp:.3f} s (whole command), {kept} kept, {proven} proven; "
                      f"ratio {hsum / pp:.1f}x")
    print(f"largest relative difference: {worst:.1e}")


if __name__ == "__main__":
    main()
