fn main() {
    let mut park = parkplan::Park::paper_case();
    let args: Vec<String> = std::env::args().skip(1).collect();
    for a in &args { park.apply_assignment(a).unwrap(); }
    let opts = parkplan::compile(&park);
    for obj in [parkplan::Objective::Economic, parkplan::Objective::Carbon] {
        let sol = parkplan::solve::solve_exact(&opts, obj);
        let rep = parkplan::report::Report::new(&park, &opts, &sol);
        print!("{}", rep.to_table(&park));
    }
}
