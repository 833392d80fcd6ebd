//! Screenshots of real console states, for the README: the view is rendered
//! into a TestBackend buffer and written as SVG (one text run per style run,
//! background rectangles), which `scripts/screenshots.sh` rasterizes to PNG.
//!
//! `cargo run --release -p parkplan-console --example screenshots -- DIR`

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use parkplan::model::Objective;
use parkplan::park::Park;
use parkplan::solve::CancelToken;
use parkplan::solve::ga;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::{Color, Modifier};

use parkplan_console::action::action_for;
use parkplan_console::app::App;
use parkplan_console::solve::WorkerMsg;
use parkplan_console::theme::{Palette, Theme};
use parkplan_console::update::{Effect, begin_run, on_worker, update};
use parkplan_console::{Executor, Inline};

const FONT_PX: f64 = 16.0;
const CELL_W: f64 = FONT_PX * 0.6021;
const CELL_H: f64 = FONT_PX * 1.25;
const BG: &str = "#1d1f21";
const FG: &str = "#d7dae0";

fn color(c: Color, default: &'static str) -> String {
    let named = match c {
        Color::Reset => default,
        Color::Black => "#1d1f21",
        Color::Red => "#cc6666",
        Color::Green => "#8fbf5a",
        Color::Yellow => "#e0b84c",
        Color::Blue => "#5f9bd6",
        Color::Magenta => "#b48ead",
        Color::Cyan => "#5fb3b3",
        Color::Gray => "#c5c8c6",
        Color::DarkGray => "#6c7075",
        Color::LightRed => "#ff8080",
        Color::LightGreen => "#a8e07a",
        Color::LightYellow => "#f0d070",
        Color::LightBlue => "#81a2be",
        Color::LightMagenta => "#d0a0d0",
        Color::LightCyan => "#8ad0d0",
        Color::White => "#f0f0f0",
        Color::Rgb(r, g, b) => return format!("#{r:02x}{g:02x}{b:02x}"),
        Color::Indexed(_) => default,
    };
    named.to_string()
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The buffer as an SVG image.
fn svg(buf: &Buffer) -> String {
    let w = buf.area.width as f64 * CELL_W;
    let h = buf.area.height as f64 * CELL_H;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w:.0}" height="{h:.0}" viewBox="0 0 {w:.2} {h:.2}"><rect width="100%" height="100%" fill="{BG}"/><g font-family="DejaVu Sans Mono, monospace" font-size="{FONT_PX}px" xml:space="preserve">"#
    );
    for y in 0..buf.area.height {
        let mut x = 0;
        while x < buf.area.width {
            let cell = &buf[(x, y)];
            let reversed = cell.modifier.contains(Modifier::REVERSED);
            let (fg, bg) = (cell.fg, cell.bg);
            // A run of cells with the same style.
            let mut end = x + 1;
            let mut text = cell.symbol().to_string();
            while end < buf.area.width {
                let c = &buf[(end, y)];
                if c.fg != fg || c.bg != bg || c.modifier != cell.modifier {
                    break;
                }
                text.push_str(c.symbol());
                end += 1;
            }
            let (mut fgc, mut bgc) = (color(fg, FG), color(bg, BG));
            if reversed {
                std::mem::swap(&mut fgc, &mut bgc);
                if bg == Color::Reset {
                    fgc = BG.into();
                }
                if fg == Color::Reset {
                    bgc = FG.into();
                }
            }
            let x0 = x as f64 * CELL_W;
            let y0 = y as f64 * CELL_H;
            let width = (end - x) as f64 * CELL_W;
            if bgc != BG {
                let _ = write!(
                    s,
                    r#"<rect x="{x0:.2}" y="{y0:.2}" width="{width:.2}" height="{CELL_H:.2}" fill="{bgc}"/>"#
                );
            }
            if !text.trim().is_empty() {
                let weight = if cell.modifier.contains(Modifier::BOLD) {
                    r#" font-weight="bold""#
                } else {
                    ""
                };
                let opacity = if cell.modifier.contains(Modifier::DIM) {
                    r#" opacity="0.6""#
                } else {
                    ""
                };
                let deco = if cell.modifier.contains(Modifier::UNDERLINED) {
                    r#" text-decoration="underline""#
                } else {
                    ""
                };
                let _ = write!(
                    s,
                    r#"<text x="{x0:.2}" y="{:.2}" fill="{fgc}" textLength="{width:.2}" lengthAdjust="spacingAndGlyphs"{weight}{opacity}{deco}>{}</text>"#,
                    y0 + CELL_H * 0.78,
                    escape(&text)
                );
            }
            x = end;
        }
    }
    s.push_str("</g></svg>\n");
    s
}

fn render(app: &App, w: u16, h: u16) -> Buffer {
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("test backend");
    t.draw(|f| parkplan_console::view::view(app, f))
        .expect("draw");
    t.backend().buffer().clone()
}

fn solve_now(app: &mut App) {
    Inline::default().execute(app, vec![Effect::Solve]);
}

fn press(app: &mut App, code: KeyCode) {
    let ev = Event::Key(KeyEvent::new(code, KeyModifiers::NONE));
    if let Some(a) = action_for(app, &ev) {
        // No files are written for screenshots.
        let effects = update(app, a)
            .into_iter()
            .filter(|e| matches!(e, Effect::Solve | Effect::Analyze(_)))
            .collect();
        Inline::default().execute(app, effects);
    }
}

/// The console a few generations into a run, as a user sees it while the GA works.
fn mid_run(park: Park, generations: usize) -> App {
    let mut app = App::new(
        park,
        None,
        Objective::Economic,
        Theme {
            palette: Palette::Basic16,
        },
    );
    let job = begin_run(&mut app);
    let opts = std::sync::Arc::new(parkplan::compile(&job.park));
    let (certified, mut cfg) = parkplan::solve::certified_ga(
        &opts,
        job.objective,
        job.park.solver.clone(),
        100_000,
        &CancelToken::new(),
    )
    .expect("not cancelled");
    on_worker(
        &mut app,
        WorkerMsg::Started {
            run_id: job.run_id,
            opts: opts.clone(),
            bound: certified.upper_bound,
            bound_kind: certified.bound,
        },
    );
    // A watchable run: no early stop, a fixed number of generations, from random plans.
    cfg.target = None;
    cfg.settings.stall_generations = usize::MAX;
    cfg.settings.generations = generations;
    cfg.seed_heuristic = false;
    let mut msgs = Vec::new();
    let _ = ga::solve(&opts, job.objective, &cfg, &CancelToken::new(), |p| {
        msgs.push(WorkerMsg::Progress {
            run_id: job.run_id,
            points: vec![(p.generation, p.best, p.mean)],
            plan: p.best_plan.clone(),
            evaluations: p.evaluations,
            elapsed_s: p.elapsed_s,
        })
    });
    for m in msgs {
        on_worker(&mut app, m);
    }
    app.run.seconds = 0.0052;
    app
}

/// Writes the README's screenshots (SVG) into `dir`; returns the files.
fn write_all(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let mut out = Vec::new();
    let mut save = |name: &str, buf: Buffer| -> anyhow::Result<()> {
        let path = dir.join(format!("{name}.svg"));
        parkplan::io::write_atomic(&path, svg(&buf).as_bytes(), true)?;
        out.push(path);
        Ok(())
    };
    let theme = Theme {
        palette: Palette::Basic16,
    };

    // 1. While the GA runs: a generated 300-region park, 12 generations in.
    let big = parkplan::park::generate(300, 11);
    let app = mid_run(big, 12);
    save("running-160x48", render(&app, 160, 48))?;

    // 2. The built-in case, solved, wide.
    let mut app = App::new(Park::paper_case(), None, Objective::Economic, theme);
    solve_now(&mut app);
    save("main-160x48", render(&app, 160, 48))?;
    save("main-80x24", render(&app, 80, 24))?;

    // 3. After an edit: ETS price 59 -> 200 CNY/t (heat pumps take over).
    press(&mut app, KeyCode::Char('2'));
    for _ in 0..2 {
        press(&mut app, KeyCode::Down);
    }
    press(&mut app, KeyCode::Enter);
    for _ in 0..4 {
        press(&mut app, KeyCode::Backspace);
    }
    for c in "200".chars() {
        press(&mut app, KeyCode::Char(c));
    }
    press(&mut app, KeyCode::Enter);
    save("after-edit-160x48", render(&app, 160, 48))?;
    press(&mut app, KeyCode::Char('1'));
    save("after-edit-80x24", render(&app, 80, 24))?;

    // 4. Help.
    press(&mut app, KeyCode::Char('?'));
    save("help-80x24", render(&app, 80, 24))?;
    press(&mut app, KeyCode::Char('?'));

    // 5. The analysis views, back at the file's values.
    press(&mut app, KeyCode::Char('R'));
    press(&mut app, KeyCode::Char('4'));
    // The default range is centred on 59 (0..118); the paper's range holds
    // the heat pumps' tipping point.
    press(&mut app, KeyCode::Enter);
    for c in "0:236:41".chars() {
        press(&mut app, KeyCode::Char(c));
    }
    press(&mut app, KeyCode::Enter);
    save("sensitivity-160x48", render(&app, 160, 48))?;
    save("sensitivity-80x24", render(&app, 80, 24))?;
    press(&mut app, KeyCode::Char('5'));
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Down);
    save("pareto-160x48", render(&app, 160, 48))?;
    press(&mut app, KeyCode::Char('6'));
    save("mac-160x48", render(&app, 160, 48))?;

    // 6. The park with negative-emission technologies: the ledger of its
    // optimal plan, and its scenarios compared (the last scrolled into view).
    let mut app = App::new(net_park()?, None, Objective::Economic, theme);
    solve_now(&mut app);
    press(&mut app, KeyCode::Char('7'));
    save("ledger-80x24", render(&app, 80, 24))?;
    save("ledger-160x48", render(&app, 160, 48))?;
    press(&mut app, KeyCode::Char('8'));
    save("compare-160x48", render(&app, 160, 48))?;
    press(&mut app, KeyCode::Right);
    press(&mut app, KeyCode::Right);
    save("compare-80x24", render(&app, 80, 24))?;

    // 7. What an edit changed, in every view that shows it: the net park
    // after raising the carbon price to 200 CNY/t.
    edit_param(&mut app, "ets_price", "200");
    press(&mut app, KeyCode::Char('1'));
    save("net-after-edit-80x24", render(&app, 80, 24))?;
    press(&mut app, KeyCode::Char('7'));
    save("ledger-changes-160x48", render(&app, 160, 48))?;
    press(&mut app, KeyCode::Char('8'));
    press(&mut app, KeyCode::Home);
    save("compare-changes-160x48", render(&app, 160, 48))?;
    press(&mut app, KeyCode::Char('6'));
    save("mac-net-80x24", render(&app, 80, 24))?;

    // 8. The high-contrast theme (T) for projectors.
    press(&mut app, KeyCode::Char('1'));
    press(&mut app, KeyCode::Char('T'));
    save("high-contrast-80x24", render(&app, 80, 24))?;
    Ok(out)
}

/// Sets parameter `key` to `value` as a user does: Params view, the row,
/// Enter, the value typed over the old one, Enter.
fn edit_param(app: &mut App, key: &str, value: &str) {
    press(app, KeyCode::Char('2'));
    press(app, KeyCode::Home);
    let fields = parkplan_console::fields::Field::all(&app.scenario.park);
    let Some(k) = fields
        .iter()
        .position(|f| parkplan_console::fields::field_name(*f) == key)
    else {
        return;
    };
    for _ in 0..k {
        press(app, KeyCode::Down);
    }
    press(app, KeyCode::Enter);
    for c in value.chars() {
        press(app, KeyCode::Char(c));
    }
    press(app, KeyCode::Enter);
}

/// parks/net-park.toml, from the working directory (the repository, as
/// scripts/screenshots.sh runs it) or else from the source tree.
fn net_park() -> anyhow::Result<Park> {
    let rel = Path::new("parks/net-park.toml");
    let path = if rel.exists() {
        rel.to_path_buf()
    } else {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .join(rel)
    };
    Park::load(&path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}

fn main() -> anyhow::Result<()> {
    let dir = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .ok_or_else(|| anyhow::anyhow!("usage: screenshots DIR"))?;
    for p in write_all(&dir)? {
        println!("{}", p.display());
    }
    Ok(())
}
