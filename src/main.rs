//! The `parkplan` binary: a thin command line (and console) over the library.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::main()
}
