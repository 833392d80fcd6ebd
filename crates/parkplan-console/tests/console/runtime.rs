//! The real loop on a TestBackend, background saves, the temporary files of
//! killed saves, the recovery of unsaved edits after a signal, and the quit
//! question's `s`.

use std::sync::mpsc;
use std::time::Duration;

use parkplan::model::Objective;
use parkplan::park::Park;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;

use parkplan_console::app::{App, Note, PromptKind};
use parkplan_console::theme::{Palette, Theme};
use parkplan_console::update::Effect;
use parkplan_console::{Executor, Inline, Msg, Threads, handle, offer_recovery, run_loop};

use crate::helpers::*;

/// The loop itself, driven by key events in its channel on a TestBackend:
/// `2` opens the parameters, `q` quits; the screen drawn last shows them.
#[test]
fn the_real_loop_draws_what_the_keys_asked_for() {
    let mut app = app_with(Palette::NoColor);
    let (tx, rx) = mpsc::channel();
    for c in ['2', 'q'] {
        tx.send(Msg::Input(key(KeyCode::Char(c)))).unwrap();
    }
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    run_loop(&mut terminal, &mut app, &mut Inline::default(), &rx).unwrap();
    assert!(app.quit);
    let screen = text(terminal.backend().buffer());
    assert!(
        screen.contains("Parameters") && screen.contains("ets_price"),
        "{screen}"
    );
    // The first solve ran before the first draw.
    assert!(app.run.plan.is_some());
}

/// A save runs on a thread of its own: the status line says "saving" until
/// its outcome arrives through the loop's channel (issue 14.11: a 20 MB save
/// froze the console for 6 s).
#[test]
fn a_save_runs_in_the_background_and_the_status_line_says_so() {
    let tmp = temp_dir();
    let path = tmp.path().join("scenario.toml");
    let mut app = started();
    edit_param(&mut app, "ets_price", "123");
    let (tx, rx) = mpsc::channel();
    let mut exec = Threads::new(tx);
    exec.execute(
        &mut app,
        vec![Effect::Save {
            path: path.clone(),
            overwrite: false,
        }],
    );
    assert_eq!(app.saving.as_ref(), Some(&path));
    let screen = text(&render(&app, 80, 24));
    assert!(screen.contains("saving"), "{screen}");
    let msg = loop {
        match rx
            .recv_timeout(Duration::from_secs(60))
            .expect("the save ends")
        {
            m @ Msg::Written(_) => break m,
            _ => continue,
        }
    };
    handle(&mut app, &mut exec, msg);
    assert!(app.saving.is_none());
    assert!(
        matches!(&app.note, Some(Note::Info(m)) if m.contains("written")),
        "{:?}",
        app.note
    );
    let saved = Park::load(&path).unwrap();
    assert_eq!(saved.economics.ets_price_cny_per_t, 123.0);
    assert!(!app.dirty());
}

/// A save killed midway leaves `.NAME.<pid>.tmp` behind; the next save to the
/// same path removes those of processes that are gone, not those of live ones.
#[test]
fn a_save_removes_the_temporary_files_of_killed_saves() {
    let tmp = temp_dir();
    let path = tmp.path().join("park.toml");
    // No process has this id (above Linux's largest pid, 2^22).
    let dead = tmp.path().join(".park.toml.999999999.tmp");
    // Process 1 (init) is always alive.
    let live = tmp.path().join(".park.toml.1.tmp");
    let other = tmp.path().join(".other.toml.999999999.tmp");
    for f in [&dead, &live, &other] {
        std::fs::write(f, "half a park").unwrap();
    }
    let mut app = started();
    parkplan_console::write_file(
        &mut app,
        Effect::Save {
            path: path.clone(),
            overwrite: false,
        },
    );
    assert!(path.exists(), "{:?}", app.note);
    assert!(!dead.exists(), "the dead save's temporary file stays");
    assert!(live.exists(), "a live process's temporary file was removed");
    assert!(other.exists(), "another file's temporary file was removed");
}

/// A signal with unsaved edits writes them to the recovery file next to the
/// park file; the next start asks, and `y` brings them back (one undo from
/// the file's values) and removes the file.
#[test]
fn unsaved_edits_survive_a_signal_and_are_offered_at_the_next_start() {
    let tmp = temp_dir();
    let source = tmp.path().join("park.toml");
    std::fs::write(&source, parkplan::park::PAPER_CASE_TOML).unwrap();
    let open = || {
        let mut app = App::new(
            Park::load(&source).unwrap(),
            Some(source.clone()),
            Objective::Economic,
            Theme {
                palette: Palette::NoColor,
            },
        );
        app.source_text = std::fs::read_to_string(&source).ok();
        Inline::default().execute(&mut app, vec![Effect::Solve]);
        app
    };
    let mut app = open();
    edit_param(&mut app, "ets_price", "200");
    press(&mut app, KeyCode::Char('o'));
    parkplan_console::stop(&mut app, "SIGTERM");
    assert!(app.quit);
    let why = app.stopped.clone().unwrap();
    let kept = tmp.path().join(".park.toml.recover.toml");
    assert!(
        why.contains("SIGTERM") && why.contains(".park.toml.recover.toml"),
        "{why}"
    );
    assert!(kept.is_file());
    // The park file itself is untouched.
    assert_eq!(
        std::fs::read_to_string(&source).unwrap(),
        parkplan::park::PAPER_CASE_TOML
    );

    let mut again = open();
    offer_recovery(&mut again);
    assert!(matches!(
        again.prompt.as_ref().map(|p| &p.kind),
        Some(PromptKind::ConfirmRestore { .. })
    ));
    let screen = text(&render(&again, 100, 24));
    assert!(screen.contains("restore them? (y/n)"), "{screen}");
    press(&mut again, KeyCode::Char('y'));
    assert_eq!(again.scenario.park.economics.ets_price_cny_per_t, 200.0);
    assert_eq!(again.scenario.objective, Objective::Carbon);
    assert!(again.dirty());
    assert!(!kept.exists());
    assert_shows_optimum(&again);
    press(&mut again, KeyCode::Char('u'));
    assert_eq!(again.scenario, again.original);

    // Without edits a signal writes nothing.
    let mut clean = open();
    parkplan_console::stop(&mut clean, "SIGHUP");
    assert!(!kept.exists());
}

/// The quit question says "s saves": `s` opens the save prompt, and once the
/// file is written the console quits (issue 15.3: `s` did nothing).
#[test]
fn s_in_the_quit_question_saves_then_quits() {
    let tmp = temp_dir();
    let path = tmp.path().join("mine.toml");
    let mut app = started();
    edit_param(&mut app, "ets_price", "150");
    press(&mut app, KeyCode::Char('q'));
    assert!(matches!(
        app.prompt.as_ref().map(|p| &p.kind),
        Some(PromptKind::ConfirmQuit)
    ));
    press(&mut app, KeyCode::Char('s'));
    assert!(
        matches!(
            app.prompt.as_ref().map(|p| &p.kind),
            Some(PromptKind::SaveScenario)
        ),
        "{:?}",
        app.prompt.as_ref().map(|p| &p.kind)
    );
    assert!(!app.quit);
    let len = app.prompt.as_ref().unwrap().input.value().len();
    for _ in 0..len {
        press(&mut app, KeyCode::Backspace);
    }
    type_text(&mut app, path.to_str().unwrap());
    press(&mut app, KeyCode::Enter);
    assert!(path.is_file(), "{:?}", app.note);
    assert!(app.quit, "{:?}", app.note);
    // Esc in the save prompt goes back to editing, not quitting.
    let mut other = started();
    edit_param(&mut other, "ets_price", "150");
    press(&mut other, KeyCode::Char('q'));
    press(&mut other, KeyCode::Char('s'));
    press(&mut other, KeyCode::Esc);
    assert!(!other.quit && other.prompt.is_none());
}

/// Two consoles on one file (issue 14.10): a save over the loaded file after
/// another program changed it is refused, nothing is written, and the console
/// offers to save elsewhere at once; the other program's edit survives.
#[test]
fn a_file_changed_on_disk_is_not_overwritten_and_saving_elsewhere_is_offered() {
    let tmp = temp_dir();
    let source = tmp.path().join("park.toml");
    std::fs::write(&source, parkplan::park::PAPER_CASE_TOML).unwrap();
    let (text0, state) = parkplan::park::read_text(&source).unwrap();
    let mut app = App::new(
        Park::load(&source).unwrap(),
        Some(source.clone()),
        Objective::Economic,
        Theme {
            palette: Palette::NoColor,
        },
    );
    app.source_text = Some(text0);
    app.source_state = Some(state);
    Inline::default().execute(&mut app, vec![Effect::Solve]);
    edit_param(&mut app, "ets_price", "99");
    // Another console saves the file meanwhile.
    let theirs = parkplan::park::PAPER_CASE_TOML.replace("Paper", "Their paper");
    std::fs::write(&source, &theirs).unwrap();
    parkplan_console::write_file(
        &mut app,
        Effect::Save {
            path: source.clone(),
            overwrite: true,
        },
    );
    assert_eq!(std::fs::read_to_string(&source).unwrap(), theirs);
    assert!(
        matches!(
            app.prompt.as_ref().map(|p| &p.kind),
            Some(PromptKind::SaveElsewhere { .. })
        ),
        "{:?}",
        app.note
    );
    let screen = text(&render(&app, 120, 30));
    assert!(screen.contains("changed on disk"), "{screen}");
    // Enter saves under the offered name (park-edited.toml, next to it).
    press(&mut app, KeyCode::Enter);
    let elsewhere = tmp.path().join("park-edited.toml");
    let saved = Park::load(&elsewhere).expect("saved elsewhere");
    assert_eq!(saved.economics.ets_price_cny_per_t, 99.0);
    assert_eq!(std::fs::read_to_string(&source).unwrap(), theirs);
}

/// Review s4 item 14: the README named the recovery file
/// `.paper-case.recover.toml` where the console writes
/// `.paper-case.toml.recover.toml` next to a park file. The README's example
/// names are the ones the console uses.
#[test]
fn the_readme_names_the_recovery_file_the_console_writes() {
    let readme = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md"),
    )
    .unwrap();
    let on_file =
        parkplan_console::files::recovery_path(Some(std::path::Path::new("parks/net-park.toml")));
    assert_eq!(
        on_file,
        std::path::Path::new("parks/.net-park.toml.recover.toml")
    );
    assert!(readme.contains("`.net-park.toml.recover.toml`"), "README");
    let built_in = parkplan_console::files::recovery_path(None);
    assert!(
        readme.contains(&format!("`{}`", built_in.display())),
        "README"
    );
}
