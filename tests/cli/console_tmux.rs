//! End to end: the real binary in a tmux pane of 80x24, driven by keys and read
//! back with capture-pane. Skipped (with a message) where tmux is missing.

use std::process::Command;
use std::time::{Duration, Instant};

struct Tmux {
    socket: String,
}

impl Tmux {
    fn cmd(&self, args: &[&str]) -> std::process::Output {
        Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .output()
            .expect("run tmux")
    }
    fn capture(&self) -> String {
        String::from_utf8_lossy(&self.cmd(&["capture-pane", "-p", "-t", "t"]).stdout).into_owned()
    }
    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "t"];
        args.extend_from_slice(keys);
        assert!(self.cmd(&args).status.success());
    }
    /// The pane's mouse modes as tmux tracks them from what the program
    /// wrote: (SGR encoding 1006, button-event tracking 1002, clicks only
    /// 1000); tmux keeps one tracking mode, the last asked for (1002).
    fn mouse_modes(&self) -> String {
        let out = self.cmd(&[
            "display-message",
            "-p",
            "-t",
            "t",
            "#{mouse_sgr_flag}#{mouse_button_flag}#{mouse_standard_flag}",
        ]);
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }
    /// Sends `bytes` to the console as the terminal would (raw, as hex).
    fn raw(&self, bytes: &[u8]) {
        let hex: Vec<String> = bytes.iter().map(|b| format!("{b:02x}")).collect();
        let mut args = vec!["send-keys", "-t", "t", "-H"];
        args.extend(hex.iter().map(String::as_str));
        assert!(self.cmd(&args).status.success());
    }
    /// Waits (up to 20 s, so a slow CI machine does not fail it) for the pane to satisfy `pred`.
    fn wait_for(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let pane = self.capture();
            if pred(&pane) {
                return pane;
            }
            if start.elapsed() > Duration::from_secs(20) {
                panic!("timed out waiting for {what}; the pane shows:\n{pane}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.cmd(&["kill-server"]);
    }
}

/// A shell in an 80x24 tmux pane, ready for a command; `None` (the test is
/// skipped) where tmux is missing, unless CI requires it.
fn shell(name: &str) -> Option<Tmux> {
    if Command::new("tmux").arg("-V").output().is_err() {
        // CI sets PARKPLAN_REQUIRE_TMUX: there a missing tmux is a failure.
        assert!(
            std::env::var_os("PARKPLAN_REQUIRE_TMUX").is_none(),
            "tmux is required for the end-to-end console test"
        );
        eprintln!("tmux is not installed: skipping the end-to-end console test");
        return None;
    }
    let tmux = Tmux {
        socket: format!("parkplan-test-{name}-{}", std::process::id()),
    };
    let out = tmux.cmd(&[
        "-f",
        "/dev/null",
        "new-session",
        "-d",
        "-s",
        "t",
        "-x",
        "80",
        "-y",
        "24",
        "sh",
    ]);
    assert!(out.status.success(), "{out:?}");
    tmux.cmd(&["set-option", "-t", "t", "remain-on-exit", "on"]);
    tmux.keys(&["clear; echo READY", "Enter"]);
    tmux.wait_for("the shell", |p| p.contains("READY"));
    Some(tmux)
}

#[test]
fn console_in_tmux_edits_the_ets_price_and_quits_cleanly() {
    let Some(tmux) = shell("ets") else { return };
    let bin = env!("CARGO_BIN_EXE_parkplan");
    tmux.keys(&[&format!("NO_COLOR=1 {bin}; echo EXIT=$?"), "Enter"]);
    let pane = tmux.wait_for("the first plan", |p| {
        p.contains("reached the exact optimum")
    });
    assert!(pane.contains("13,417/20,000 t/a"), "{pane}");
    // At 80 columns the technology shows its short name (park::techs::SHORT_NAMES).
    assert!(pane.contains("1 Chiller"), "{pane}");

    // Parameters tab, third row (ets_price), replace 59 by 200.
    tmux.keys(&["2", "j", "j", "Enter"]);
    tmux.wait_for("the edit field", |p| {
        p.contains("ets_price") && p.contains("Enter")
    });
    tmux.keys(&["BSpace", "BSpace", "200", "Enter"]);
    let pane = tmux.wait_for("the new plan", |p| {
        p.contains("ets_price = 200") && p.contains("reached the exact optimum")
    });
    assert!(pane.contains("200*"), "{pane}");
    tmux.keys(&["1"]);
    let pane = tmux.wait_for("the plan tab", |p| p.contains("Heat pump"));
    assert!(!pane.contains("Chiller"), "{pane}");
    // What the edit changed is marked: the chillers switched to heat pumps.
    assert!(pane.contains("vs the last edit"), "{pane}");
    assert!(
        pane.lines()
            .any(|l| l.starts_with("│~") && l.contains("Heat pump")),
        "{pane}"
    );

    // A bad value is refused at the field.
    tmux.keys(&["2", "Enter", "BSpace", "BSpace", "BSpace", "x", "Enter"]);
    tmux.wait_for("the refusal", |p| p.contains("not a number"));
    // (Escape and a following key sent together would read as Alt+key: wait.)
    tmux.keys(&["Escape"]);
    tmux.wait_for("the field to close", |p| !p.contains("refused"));

    // Help overlay, then quit: the terminal comes back with the shell's text.
    tmux.keys(&["?"]);
    tmux.wait_for("the help", |p| p.contains("Keys") && p.contains("quit"));
    tmux.keys(&["Escape"]);
    tmux.wait_for("the help to close", |p| !p.contains("any key closes"));
    // The ETS price was edited and not saved: quitting asks first.
    tmux.keys(&["q"]);
    tmux.wait_for("the unsaved-edits question", |p| {
        p.contains("unsaved edits")
    });
    tmux.keys(&["y"]);
    let pane = tmux.wait_for("the shell again", |p| p.contains("EXIT=0"));
    assert!(
        !pane.contains("GA fitness"),
        "the alternate screen was left: {pane}"
    );
    assert!(pane.contains("READY"), "{pane}");
}

/// The NET example park: the Ledger of the plan on screen and the Compare view
/// with its scenarios, on a real terminal of 80x24.
#[test]
fn console_in_tmux_shows_the_ledger_and_the_comparison_of_the_net_park() {
    let Some(tmux) = shell("net") else { return };
    let bin = env!("CARGO_BIN_EXE_parkplan");
    let park = concat!(env!("CARGO_MANIFEST_DIR"), "/parks/net-park.toml");
    tmux.keys(&[&format!("NO_COLOR=1 {bin} {park}; echo EXIT=$?"), "Enter"]);
    // With the park's resource rows (cooling and heat credited up to demand)
    // the GA may stop short of the optimum; the console then shows the exact plan.
    tmux.wait_for("the first plan", |p| {
        p.contains("reached the exact optimum") || p.contains("showing the exact plan")
    });
    tmux.keys(&["7"]);
    let pane = tmux.wait_for("the ledger", |p| {
        p.contains("net reduction") && p.contains("emitted after")
    });
    assert!(pane.contains("140,342"), "{pane}");
    tmux.keys(&["8"]);
    tmux.wait_for("the comparison", |p| p.contains("scenarios 1-5 of 9"));
    tmux.keys(&[
        "Right", "Right", "Right", "Right", "Right", "Right", "Right", "Right",
    ]);
    tmux.wait_for("the park's own scenarios", |p| {
        p.contains("clean-grid-2035")
    });
    tmux.keys(&["q"]);
    tmux.wait_for("the shell again", |p| p.contains("EXIT=0"));
}

/// The console's process in the pane (a child of the pane's shell).
fn console_pid(tmux: &Tmux) -> Option<u32> {
    let out = tmux.cmd(&["display-message", "-p", "-t", "t", "#{pane_pid}"]);
    let shell: u32 = String::from_utf8_lossy(&out.stdout).trim().parse().ok()?;
    std::fs::read_dir("/proc").ok()?.flatten().find_map(|e| {
        let pid: u32 = e.file_name().to_str()?.parse().ok()?;
        let stat = std::fs::read_to_string(e.path().join("stat")).ok()?;
        // pid (comm) state ppid ...: comm may hold spaces, so after the last ')'.
        let ppid: u32 = stat
            .rsplit(')')
            .next()?
            .split_whitespace()
            .nth(1)?
            .parse()
            .ok()?;
        (ppid == shell && stat.contains("(parkplan)")).then_some(pid)
    })
}

/// A stray bracketed-paste start (`ESC [200~`, with no end) does not freeze
/// the console: the next keys still work (issue 14.13).
#[test]
fn console_in_tmux_survives_a_stray_paste_start() {
    let Some(tmux) = shell("paste") else { return };
    let bin = env!("CARGO_BIN_EXE_parkplan");
    tmux.keys(&[&format!("NO_COLOR=1 {bin}; echo EXIT=$?"), "Enter"]);
    tmux.wait_for("the first plan", |p| {
        p.contains("reached the exact optimum")
    });
    assert!(
        tmux.cmd(&[
            "send-keys",
            "-t",
            "t",
            "-H",
            "1b",
            "5b",
            "32",
            "30",
            "30",
            "7e"
        ])
        .status
        .success()
    );
    tmux.keys(&["2"]);
    tmux.wait_for("the parameters after the paste start", |p| {
        p.contains("ets_price") && p.contains("Parameters")
    });
    tmux.keys(&["q"]);
    tmux.wait_for("the shell again", |p| p.contains("EXIT=0"));
}

/// SIGTERM restores the terminal (cooked mode, main screen) and keeps the
/// unsaved edit in a recovery file, which the next start offers to restore
/// (issue 14.12).
#[test]
fn console_in_tmux_restores_the_terminal_and_keeps_edits_on_sigterm() {
    let Some(tmux) = shell("term") else { return };
    let dir = tempfile::tempdir().unwrap();
    let park = dir.path().join("park.toml");
    std::fs::write(&park, parkplan::park::PAPER_CASE_TOML).unwrap();
    let bin = env!("CARGO_BIN_EXE_parkplan");
    let run = format!(
        "NO_COLOR=1 {bin} {}; echo EXIT=$?; stty -a | tr ' ;' '\\n\\n' | grep -xE -- '-?(icanon|opost|echo)' | tr '\\n' ' '; echo MODES-$((40+2))",
        park.display()
    );
    tmux.keys(&[&run, "Enter"]);
    tmux.wait_for("the first plan", |p| {
        p.contains("reached the exact optimum")
    });
    tmux.keys(&["2", "j", "j", "Enter"]);
    tmux.wait_for("the edit field", |p| {
        p.contains("ets_price") && p.contains("Enter")
    });
    tmux.keys(&["BSpace", "BSpace", "200", "Enter"]);
    tmux.wait_for("the new plan", |p| {
        p.contains("ets_price = 200") && p.contains("reached the exact optimum")
    });
    let pid = console_pid(&tmux).expect("the console's process");
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid.to_string()])
            .status()
            .unwrap()
            .success()
    );
    // "MODES-42" is only in the output: the echoed command line holds "MODES-$((40+2))".
    let pane = tmux.wait_for("the shell again", |p| p.contains("MODES-42"));
    assert!(pane.contains("EXIT=1"), "{pane}");
    assert!(pane.contains("stopped by SIGTERM"), "{pane}");
    assert!(
        pane.contains("icanon opost echo") || pane.contains("opost icanon echo"),
        "the terminal was left raw: {pane}"
    );
    assert!(
        !pane.contains("GA fitness") && !pane.contains("1 Plan"),
        "{pane}"
    );
    let kept = dir.path().join(".park.toml.recover.toml");
    assert!(kept.is_file(), "{pane}");
    assert_eq!(tmux.mouse_modes(), "000", "mouse reports left on");

    tmux.keys(&["clear", "Enter"]);
    tmux.keys(&[
        &format!("NO_COLOR=1 {bin} {}; echo EXIT=$?", park.display()),
        "Enter",
    ]);
    tmux.wait_for("the question", |p| p.contains("restore them? (y/n)"));
    tmux.keys(&["y"]);
    tmux.wait_for("the restored edit", |p| {
        p.contains("restored the unsaved edits") && p.contains("reached the exact optimum")
    });
    tmux.keys(&["2"]);
    tmux.wait_for("the edited price", |p| p.contains("200*"));
    assert!(!kept.exists());
    tmux.keys(&["q"]);
    tmux.wait_for("the unsaved-edits question", |p| {
        p.contains("unsaved edits")
    });
    tmux.keys(&["y"]);
    tmux.wait_for("the shell again", |p| p.contains("EXIT=0"));
}

/// Ctrl-z suspends like other terminal programs: the shell is back on the
/// main screen in its own modes; `fg` resumes the console as it was (the
/// edit kept: Ctrl-z is not undo any more, `u` is).
#[test]
fn console_in_tmux_suspends_on_ctrl_z_and_resumes_with_fg() {
    let Some(tmux) = shell("tstp") else { return };
    let bin = env!("CARGO_BIN_EXE_parkplan");
    tmux.keys(&[&format!("NO_COLOR=1 {bin}"), "Enter"]);
    tmux.wait_for("the first plan", |p| {
        p.contains("reached the exact optimum")
    });
    tmux.keys(&["2", "j", "j", "Enter"]);
    tmux.wait_for("the edit field", |p| {
        p.contains("ets_price") && p.contains("Enter")
    });
    tmux.keys(&["BSpace", "BSpace", "200", "Enter"]);
    tmux.wait_for("the new plan", |p| {
        p.contains("ets_price = 200") && p.contains("reached the exact optimum")
    });
    assert_eq!(tmux.mouse_modes(), "110", "mouse reports asked for");
    tmux.keys(&["C-z"]);
    tmux.wait_for("the shell", |p| {
        p.contains("READY") && !p.contains("Parameters")
    });
    assert_eq!(
        tmux.mouse_modes(),
        "000",
        "mouse reports left on in the shell"
    );
    let pid = console_pid(&tmux).expect("the console's process");
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    let state = stat.rsplit(')').next().unwrap().split_whitespace().next();
    assert_eq!(state, Some("T"), "stopped: {stat}");
    tmux.keys(&[
        "stty -a | tr ' ;' '\\n\\n' | grep -xE -- '-?(icanon|echo)' | tr '\\n' ' '; echo MODES",
        "Enter",
    ]);
    let pane = tmux.wait_for("the modes", |p| {
        p.contains("MODES\n") || p.contains("MODES")
    });
    assert!(
        pane.contains("icanon echo") || pane.contains("echo icanon"),
        "the terminal was left raw: {pane}"
    );
    tmux.keys(&["fg", "Enter"]);
    let pane = tmux.wait_for("the console again", |p| {
        p.contains("Parameters") && p.contains("ets_price")
    });
    assert!(pane.contains("200*"), "the edit was undone: {pane}");
    assert_eq!(tmux.mouse_modes(), "110", "mouse reports not back after fg");
    tmux.keys(&["q"]);
    tmux.wait_for("the unsaved-edits question", |p| {
        p.contains("unsaved edits")
    });
    tmux.keys(&["y"]);
    tmux.wait_for("the shell again", |p| {
        p.contains("READY") && !p.contains("Parameters")
    });
    tmux.keys(&["echo EXIT=$?", "Enter"]);
    tmux.wait_for("the exit status", |p| p.contains("EXIT=0"));
}

/// A mouse click on a tab, sent as a terminal sends it (SGR 1006: press
/// `ESC [ < 0 ; X ; Y M`, release `... m`), opens that view; `M` turns the
/// mouse reports off (the terminal selects text again) and on; quitting
/// leaves none on. `--no-mouse` starts without them.
#[test]
fn console_in_tmux_opens_a_view_on_a_click_on_its_tab() {
    let Some(tmux) = shell("mouse") else { return };
    let bin = env!("CARGO_BIN_EXE_parkplan");
    tmux.keys(&[&format!("NO_COLOR=1 {bin}; echo EXIT=$?"), "Enter"]);
    let pane = tmux.wait_for("the first plan", |p| {
        p.contains("reached the exact optimum")
    });
    assert_eq!(tmux.mouse_modes(), "110", "mouse reports asked for");
    // Where the tab is on screen (1-based column for the report).
    let tabs = pane
        .lines()
        .find(|l| l.contains("5 Pareto"))
        .expect("the tabs");
    let at = tabs.find("5 Pareto").unwrap();
    let x = tabs[..at].chars().count() + 3;
    let y = pane.lines().position(|l| l == tabs).unwrap() + 1;
    tmux.raw(format!("\x1b[<0;{x};{y}M\x1b[<0;{x};{y}m").as_bytes());
    tmux.wait_for("the Pareto view", |p| p.contains("Pareto front ·"));
    // A click on "2 Params", then the wheel down over its list.
    let at = tabs.find("2 Params").unwrap();
    let x = tabs[..at].chars().count() + 3;
    tmux.raw(format!("\x1b[<0;{x};{y}M\x1b[<0;{x};{y}m").as_bytes());
    tmux.wait_for("the parameters", |p| p.contains(" Parameters "));
    tmux.raw(b"\x1b[<65;20;6M");
    tmux.wait_for("the list moved by the wheel", |p| p.contains("row 4 of"));
    // Off: the terminal selects text; the status line says so.
    tmux.keys(&["M"]);
    tmux.wait_for("mouse off", |p| p.contains("mouse off (M)"));
    assert_eq!(tmux.mouse_modes(), "000");
    tmux.keys(&["M"]);
    tmux.wait_for("mouse on", |p| !p.contains("mouse off (M)"));
    assert_eq!(tmux.mouse_modes(), "110");
    tmux.keys(&["q"]);
    tmux.wait_for("the shell again", |p| p.contains("EXIT=0"));
    assert_eq!(tmux.mouse_modes(), "000", "mouse reports left on");

    tmux.keys(&["clear", "Enter"]);
    tmux.keys(&[
        &format!("NO_COLOR=1 {bin} console --no-mouse; echo EXIT=$?"),
        "Enter",
    ]);
    tmux.wait_for("the console without the mouse", |p| {
        p.contains("reached the exact optimum") && p.contains("mouse off (M)")
    });
    assert_eq!(tmux.mouse_modes(), "000");
    tmux.keys(&["q"]);
    tmux.wait_for("the shell again", |p| p.contains("EXIT=0"));
}
