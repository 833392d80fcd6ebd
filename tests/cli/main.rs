//! The `parkplan` binary's integration tests, one binary: the command line, the
//! documentation's promises and the console driven in tmux.

mod analysis;
mod bad_input;
mod console_tmux;
mod docs;
mod dual;
mod edge_cases;
mod export_price;
mod fuzz;
mod limits;
mod mac;
mod net;
mod reliability;
mod robust;
mod rows;
