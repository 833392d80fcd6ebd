//! `--format json`: the command's document, pretty-printed by serde_json.

pub fn write<J: serde::Serialize + ?Sized>(json: &J) -> String {
    parkplan::report::to_json(json)
}
