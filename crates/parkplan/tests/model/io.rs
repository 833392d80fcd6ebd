//! Atomic writes: a failed write leaves the old file as it was.

use std::io::{Error, ErrorKind, Write};

use parkplan::io::{write_atomic, write_atomic_with};

fn dir(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("parkplan-io-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn a_full_disk_keeps_the_old_file_and_leaves_no_temporary() {
    let d = dir("full");
    let path = d.join("park.toml");
    std::fs::write(&path, "the user's park").unwrap();
    // The disk fills up half way through the new contents.
    let err = write_atomic_with(&path, b"new contents that do not fit", true, |f, b| {
        f.write_all(&b[..b.len() / 2])?;
        Err(Error::new(
            ErrorKind::StorageFull,
            "no space left on device",
        ))
    })
    .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::StorageFull);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "the user's park");
    let left: Vec<_> = std::fs::read_dir(&d).unwrap().collect();
    assert_eq!(left.len(), 1, "temporary file left behind: {left:?}");
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn existing_files_are_not_replaced_unless_asked() {
    let d = dir("exists");
    let path = d.join("plan.csv");
    std::fs::write(&path, "old").unwrap();
    let err = write_atomic(&path, b"new", false).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::AlreadyExists);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
    write_atomic(&path, b"new", true).unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn a_missing_folder_fails_cleanly() {
    let d = dir("missing");
    let path = d.join("no").join("such").join("park.toml");
    assert!(write_atomic(&path, b"x", false).is_err());
    assert!(!path.exists());
    let _ = std::fs::remove_dir_all(&d);
}
