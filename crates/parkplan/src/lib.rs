//! parkplan: plan carbon-reduction investment in an industrial park.
//!
//! The library implements the planning model of Zhao et al. (2024), "A novel
//! optimization method of carbon reduction strategies implementation for
//! industrial parks" (Front. Energy Res. 12:1272679): park files ([`park`]), the
//! model's equations compiled to linear coefficients ([`model`]), plans and their
//! evaluation ([`plan`]), solvers ([`solve`]) and reports ([`report`]). It knows
//! nothing about terminals; the `parkplan` binary is a thin layer on top.

pub mod analysis;
pub mod io;
pub mod model;
pub mod number;
pub mod park;
pub mod plan;
pub mod report;
pub mod solve;
pub mod table;

pub use model::{Objective, Options, compile};
pub use park::Park;
pub use plan::{Evaluation, Plan};
pub use solve::Solution;
