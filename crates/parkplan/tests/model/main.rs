//! The library's integration tests, one binary: each module checks one part of the
//! library against values computed independently (by hand, brute force or a second method).

mod ga;
mod io;
mod model_hand;
mod oracle;
mod paper_tables;
mod park_edit;
mod parks;
mod robust;
mod tables;
