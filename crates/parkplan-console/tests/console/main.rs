//! The console's tests, in one binary: behaviour driven by keys, snapshots,
//! the real loop, terminal and saves, and the soak.

mod behaviour;
mod changes;
mod editing;
mod helpers;
mod mac_rows;
mod mouse;
mod numbers;
mod progress;
mod robust;
mod rough_edges;
mod runtime;
mod soak;
mod views;
mod whatif;
