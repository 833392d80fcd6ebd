//! Rendering: reads the state, never changes it.

mod analysis;
mod chart;
mod compare;
mod help;
mod ledger;
mod params;
mod plan;
mod status;

pub use compare::ROWS as COMPARE_ROWS;
pub use ledger::line_count as ledger_line_count;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Tabs};

use super::app::{App, Focus};

/// Wide enough to show all panes side by side.
pub fn is_wide(area: Rect) -> bool {
    area.width >= 120 && area.height >= 30
}

pub fn view(app: &App, frame: &mut Frame) {
    let area = frame.area();
    let t = &app.theme;
    let [tabs, main, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(5),
        Constraint::Length(4),
    ])
    .areas(area);
    let titles: Vec<Line> = Focus::ALL
        .iter()
        .enumerate()
        .map(|(k, f)| Line::from(format!("{} {}", k + 1, f.title())))
        .collect();
    let selected = Focus::ALL.iter().position(|f| *f == app.focus).unwrap_or(0);
    // Padded on both sides when there is room, else on the left only (80 columns).
    let room: usize = titles.iter().map(|l| l.width() + 3).sum::<usize>() - 1;
    let right_pad = if room <= tabs.width as usize { " " } else { "" };
    frame.render_widget(
        Tabs::new(titles)
            .padding(" ", right_pad)
            .select(selected)
            .style(t.dim())
            .highlight_style(t.selected())
            .divider(Span::styled("│", t.border())),
        tabs,
    );
    let main_view = matches!(app.focus, Focus::Plan | Focus::Params | Focus::Chart);
    if main_view && is_wide(area) {
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(58), Constraint::Percentage(42)])
                .areas(main);
        let [params, chart] =
            Layout::vertical([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(right);
        plan::render(app, frame, left, block(app, Focus::Plan));
        params::render(app, frame, params, block(app, Focus::Params));
        chart::render(app, frame, chart, block(app, Focus::Chart));
    } else {
        let b = Block::default()
            .borders(Borders::ALL)
            .border_type(BorderType::Plain)
            .border_style(t.border());
        match app.focus {
            Focus::Plan => plan::render(app, frame, main, b.title(plan::title(app))),
            Focus::Params => params::render(app, frame, main, b.title(" Parameters ")),
            Focus::Chart => chart::render(app, frame, main, b.title(chart::title(app))),
            Focus::Sensitivity => analysis::sensitivity(app, frame, main),
            Focus::Pareto => analysis::pareto(app, frame, main),
            Focus::Mac => analysis::mac(app, frame, main),
            Focus::Ledger => ledger::render(app, frame, main),
            Focus::Compare => compare::render(app, frame, main),
        }
    }
    status::render(app, frame, status);
    if app.show_help {
        help::render(app, frame, area);
    }
}

fn block(app: &App, f: Focus) -> Block<'static> {
    let t = &app.theme;
    let focused = app.focus == f;
    let title = match f {
        Focus::Plan => plan::title(app),
        Focus::Params => " Parameters ".to_string(),
        Focus::Chart => chart::title(app),
        other => format!(" {} ", other.title()),
    };
    Block::default()
        .borders(Borders::ALL)
        .border_type(if focused {
            BorderType::Thick
        } else {
            BorderType::Plain
        })
        .border_style(if focused {
            t.border_focused()
        } else {
            t.border()
        })
        .title(Span::styled(
            title,
            if focused { t.title() } else { Style::default() },
        ))
}
