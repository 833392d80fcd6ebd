//! Colours: the 16 named colours by default (they read well over SSH and on
//! projectors), RGB only when COLORTERM says truecolor, and none at all under
//! NO_COLOR, where emphasis is carried by bold and reverse video.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Palette {
    NoColor,
    Basic16,
    TrueColor,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub palette: Palette,
}

impl Theme {
    /// From the environment: NO_COLOR (any value) wins, then COLORTERM.
    pub fn from_env() -> Theme {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let truecolor = std::env::var("COLORTERM")
            .map(|v| v == "truecolor" || v == "24bit")
            .unwrap_or(false);
        Theme {
            palette: if no_color {
                Palette::NoColor
            } else if truecolor {
                Palette::TrueColor
            } else {
                Palette::Basic16
            },
        }
    }

    fn fg(&self, c: Color) -> Style {
        match self.palette {
            Palette::NoColor => Style::default(),
            _ => Style::default().fg(c),
        }
    }

    pub fn base(&self) -> Style {
        Style::default()
    }
    pub fn title(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }
    pub fn border(&self) -> Style {
        self.fg(Color::DarkGray)
    }
    pub fn border_focused(&self) -> Style {
        match self.palette {
            Palette::NoColor => Style::default().add_modifier(Modifier::BOLD),
            _ => Style::default().fg(Color::Cyan),
        }
    }
    pub fn header(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }
    pub fn dim(&self) -> Style {
        match self.palette {
            Palette::NoColor => Style::default().add_modifier(Modifier::DIM),
            _ => Style::default().fg(Color::DarkGray),
        }
    }
    pub fn selected(&self) -> Style {
        match self.palette {
            Palette::NoColor => Style::default().add_modifier(Modifier::REVERSED),
            Palette::Basic16 => Style::default().bg(Color::Blue).fg(Color::White),
            Palette::TrueColor => Style::default()
                .bg(Color::Rgb(38, 79, 120))
                .fg(Color::Rgb(240, 240, 240)),
        }
    }
    pub fn total(&self) -> Style {
        Style::default().add_modifier(Modifier::BOLD)
    }
    pub fn good(&self) -> Style {
        self.fg(Color::Green)
    }
    pub fn bad(&self) -> Style {
        match self.palette {
            Palette::NoColor => Style::default().add_modifier(Modifier::BOLD),
            _ => Style::default().fg(Color::Red).add_modifier(Modifier::BOLD),
        }
    }
    pub fn warn(&self) -> Style {
        self.fg(Color::Yellow)
    }
    pub fn key(&self) -> Style {
        match self.palette {
            Palette::NoColor => Style::default().add_modifier(Modifier::BOLD),
            _ => Style::default()
                .fg(Color::Cyan)
                .add_modifier(Modifier::BOLD),
        }
    }
    pub fn best_series(&self) -> Style {
        match self.palette {
            Palette::TrueColor => Style::default().fg(Color::Rgb(80, 200, 120)),
            _ => self.fg(Color::Green),
        }
    }
    pub fn mean_series(&self) -> Style {
        match self.palette {
            Palette::TrueColor => Style::default().fg(Color::Rgb(90, 160, 230)),
            _ => self.fg(Color::Blue),
        }
    }
    pub fn bound_series(&self) -> Style {
        self.fg(Color::Magenta)
    }
    pub fn input(&self) -> Style {
        match self.palette {
            Palette::NoColor => Style::default().add_modifier(Modifier::UNDERLINED),
            _ => Style::default().fg(Color::Black).bg(Color::Yellow),
        }
    }
}
