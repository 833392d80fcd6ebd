//! Colours: the 16 named colours by default (they read well over SSH and on
//! projectors), RGB only when COLORTERM says truecolor, and none at all under
//! NO_COLOR, where emphasis is carried by bold and reverse video. The
//! high-contrast theme (`T`, `--theme high-contrast`) is for projectors and
//! washed-out screens: white on black, bright colours of the 16 only, nothing
//! dimmed or dark grey; under NO_COLOR it stays colourless and drops the dim
//! style instead (bold and reverse carry the emphasis).

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Palette {
    NoColor,
    Basic16,
    TrueColor,
    /// High contrast with the 16 colours: white on black, bright colours.
    HighContrast,
    /// High contrast under NO_COLOR: no colours, nothing dimmed.
    HighContrastMono,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub palette: Palette,
}

impl Theme {
    /// From the environment: NO_COLOR (any value) wins, then COLORTERM.
    pub fn from_env() -> Theme {
        Theme::from_env_with(false)
    }

    /// From the environment, in high contrast if asked (`--theme high-contrast`).
    pub fn from_env_with(high_contrast: bool) -> Theme {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let truecolor = std::env::var("COLORTERM")
            .map(|v| v == "truecolor" || v == "24bit")
            .unwrap_or(false);
        let palette = match (no_color, high_contrast) {
            (true, false) => Palette::NoColor,
            (true, true) => Palette::HighContrastMono,
            (false, true) => Palette::HighContrast,
            (false, false) if truecolor => Palette::TrueColor,
            (false, false) => Palette::Basic16,
        };
        Theme { palette }
    }

    /// Whether this is a high-contrast theme.
    pub fn high_contrast(&self) -> bool {
        matches!(
            self.palette,
            Palette::HighContrast | Palette::HighContrastMono
        )
    }

    /// Whether no colour is used (NO_COLOR): series need distinct markers.
    pub fn colorless(&self) -> bool {
        matches!(self.palette, Palette::NoColor | Palette::HighContrastMono)
    }

    /// The high-contrast theme, or back from it (`T`); NO_COLOR is kept.
    pub fn toggled_contrast(self) -> Theme {
        let palette = match self.palette {
            Palette::NoColor => Palette::HighContrastMono,
            Palette::HighContrastMono => Palette::NoColor,
            Palette::Basic16 | Palette::TrueColor => Palette::HighContrast,
            Palette::HighContrast => match Theme::from_env().palette {
                Palette::TrueColor => Palette::TrueColor,
                _ => Palette::Basic16,
            },
        };
        Theme { palette }
    }

    fn fg(&self, c: Color) -> Style {
        match self.palette {
            Palette::NoColor | Palette::HighContrastMono => Style::default(),
            Palette::HighContrast => Style::default().fg(bright(c)),
            _ => Style::default().fg(c),
        }
    }

    /// The whole screen, under everything else (white on black in high contrast).
    pub fn screen(&self) -> Style {
        match self.palette {
            Palette::HighContrast => Style::default().fg(Color::White).bg(Color::Black),
            _ => Style::default(),
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
            Palette::NoColor | Palette::HighContrastMono => {
                Style::default().add_modifier(Modifier::BOLD)
            }
            Palette::HighContrast => Style::default()
                .fg(Color::LightYellow)
                .add_modifier(Modifier::BOLD),
            _ => Style::default().fg(Color::Cyan),
        }
    }
    pub fn header(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }
    pub fn dim(&self) -> Style {
        match self.palette {
            Palette::NoColor => Style::default().add_modifier(Modifier::DIM),
            // Nothing is dimmed in high contrast.
            Palette::HighContrastMono | Palette::HighContrast => Style::default(),
            _ => Style::default().fg(Color::DarkGray),
        }
    }
    pub fn selected(&self) -> Style {
        match self.palette {
            Palette::NoColor => Style::default().add_modifier(Modifier::REVERSED),
            Palette::HighContrastMono => Style::default()
                .add_modifier(Modifier::REVERSED)
                .add_modifier(Modifier::BOLD),
            Palette::Basic16 => Style::default().bg(Color::Blue).fg(Color::White),
            Palette::HighContrast => Style::default()
                .bg(Color::LightYellow)
                .fg(Color::Black)
                .add_modifier(Modifier::BOLD),
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
            Palette::NoColor | Palette::HighContrastMono => {
                Style::default().add_modifier(Modifier::BOLD)
            }
            _ => self.fg(Color::Red).add_modifier(Modifier::BOLD),
        }
    }
    pub fn warn(&self) -> Style {
        self.fg(Color::Yellow)
    }
    pub fn key(&self) -> Style {
        match self.palette {
            Palette::NoColor | Palette::HighContrastMono => {
                Style::default().add_modifier(Modifier::BOLD)
            }
            _ => self.fg(Color::Cyan).add_modifier(Modifier::BOLD),
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
            // Bright cyan rather than blue: dark blue vanishes on a projector.
            Palette::HighContrast => Style::default().fg(Color::LightCyan),
            _ => self.fg(Color::Blue),
        }
    }
    pub fn bound_series(&self) -> Style {
        self.fg(Color::Magenta)
    }
    pub fn input(&self) -> Style {
        match self.palette {
            Palette::NoColor | Palette::HighContrastMono => {
                Style::default().add_modifier(Modifier::UNDERLINED)
            }
            Palette::HighContrast => Style::default()
                .fg(Color::Black)
                .bg(Color::White)
                .add_modifier(Modifier::BOLD),
            _ => Style::default().fg(Color::Black).bg(Color::Yellow),
        }
    }
}

/// The bright form of one of the 16 colours (dark grey becomes white: no
/// low-contrast grey on black).
fn bright(c: Color) -> Color {
    match c {
        Color::Red => Color::LightRed,
        Color::Green => Color::LightGreen,
        Color::Yellow => Color::LightYellow,
        Color::Blue => Color::LightBlue,
        Color::Magenta => Color::LightMagenta,
        Color::Cyan => Color::LightCyan,
        Color::DarkGray | Color::Gray => Color::White,
        other => other,
    }
}
