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

// Issue 14 item 1: reads refuse what is not a regular file, without reading it.

#[cfg(unix)]
#[test]
fn devices_and_fifos_are_refused_without_reading() {
    use parkplan::park::{LoadError, Park};
    for dev in ["/dev/zero", "/dev/urandom"] {
        match Park::load(std::path::Path::new(dev)) {
            Err(LoadError::Io { source, .. }) => {
                assert_eq!(source.kind(), ErrorKind::InvalidInput, "{dev}: {source}");
                assert!(
                    source.to_string().contains("not a regular file"),
                    "{source}"
                );
            }
            other => panic!("{dev}: {other:?}"),
        }
    }
    // A FIFO with no writer: opening it for reading would block for ever.
    let d = tempfile::tempdir().unwrap();
    let fifo = d.path().join("park.toml");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if made.is_ok_and(|s| s.success()) {
        let (tx, rx) = std::sync::mpsc::channel();
        let f = fifo.clone();
        std::thread::spawn(move || {
            let _ = tx.send(Park::load(&f).map(|_| ()).map_err(|e| e.to_string()));
        });
        let got = rx
            .recv_timeout(std::time::Duration::from_secs(20))
            .expect("reading a FIFO blocked");
        let err = got.unwrap_err();
        assert!(err.contains("not a regular file"), "{err}");
    }
    // A folder.
    let err = Park::load(d.path()).unwrap_err().to_string();
    assert!(err.contains("is a folder"), "{err}");
}

#[test]
fn reads_are_bounded() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("big.toml");
    std::fs::write(&p, vec![b'#'; 1001]).unwrap();
    let err = parkplan::io::read_bounded(&p, 1000).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::FileTooLarge);
    let (bytes, _) = parkplan::io::read_bounded(&p, 1001).unwrap();
    assert_eq!(bytes.len(), 1001);
}

// Issue 14 item 9: saves follow symlinks, keep permissions, refuse non-regular targets.

#[cfg(unix)]
#[test]
fn a_save_through_a_symlink_updates_the_real_file() {
    let d = tempfile::tempdir().unwrap();
    let real = d.path().join("real.toml");
    std::fs::write(&real, "old").unwrap();
    let sub = d.path().join("links");
    std::fs::create_dir(&sub).unwrap();
    let link = sub.join("park.toml");
    std::os::unix::fs::symlink("../real.toml", &link).unwrap();
    write_atomic(&link, b"new", true).unwrap();
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link was replaced by a regular file"
    );
    assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
    // Without overwrite, an existing file behind a link is not replaced.
    assert_eq!(
        write_atomic(&link, b"newer", false).unwrap_err().kind(),
        ErrorKind::AlreadyExists
    );
    assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
    // No temporary file left in either folder.
    assert_eq!(std::fs::read_dir(d.path()).unwrap().count(), 2);
    assert_eq!(std::fs::read_dir(&sub).unwrap().count(), 1);
}

#[cfg(unix)]
#[test]
fn a_save_keeps_the_files_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("secret.toml");
    std::fs::write(&p, "old").unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)).unwrap();
    write_atomic(&p, b"new", true).unwrap();
    let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o640)).unwrap();
    write_atomic(&p, b"newer", true).unwrap();
    let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
    // A new file is not created private-only by the temporary file's mode
    // (0600), but with the usual mode less the umask.
    let q = d.path().join("new.toml");
    write_atomic(&q, b"x", false).unwrap();
    let mode = std::fs::metadata(&q).unwrap().permissions().mode() & 0o777;
    assert_ne!(
        mode, 0o600,
        "a new file got the temporary file's private mode"
    );
}

#[cfg(unix)]
#[test]
fn non_regular_targets_are_refused() {
    let d = tempfile::tempdir().unwrap();
    // /dev/null: as root, replacing it would break the machine; as anyone the
    // write must be refused before a temporary file is made next to it.
    let err = write_atomic(std::path::Path::new("/dev/null"), b"x", true).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err}");
    assert!(err.to_string().contains("not a regular file"), "{err}");
    let link = d.path().join("null.csv");
    std::os::unix::fs::symlink("/dev/null", &link).unwrap();
    assert!(write_atomic(&link, b"x", true).is_err());
    let err = write_atomic(d.path(), b"x", true).unwrap_err();
    assert!(err.to_string().contains("is a folder"), "{err}");
    assert_eq!(std::fs::read_dir(d.path()).unwrap().count(), 1);
}

// Issue 14 item 10: a save refuses to discard edits made on disk since loading.

#[test]
fn a_save_over_a_file_changed_since_loading_is_refused() {
    use parkplan::io::{FileState, SaveError, write_if_unchanged};
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("park.toml");
    std::fs::write(&p, "as loaded by both consoles").unwrap();
    let first = FileState::of(&p, u64::MAX).unwrap();
    let second = first.clone();
    // The first console saves: the file is as it loaded it.
    write_if_unchanged(&p, b"the first console's edits", &first).unwrap();
    // The second console loaded the same file before; its save is refused.
    let err = write_if_unchanged(&p, b"the second console's edits", &second).unwrap_err();
    assert!(matches!(err, SaveError::ChangedOnDisk { .. }), "{err}");
    assert!(err.to_string().contains("changed on disk"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&p).unwrap(),
        "the first console's edits"
    );
    // A same-size change (the length alone cannot tell) is seen too.
    let now = FileState::of(&p, u64::MAX).unwrap();
    std::fs::write(&p, "THE FIRST CONSOLE'S EDITS").unwrap();
    assert!(write_if_unchanged(&p, b"x", &now).is_err());
    // A deleted file counts as changed.
    let now = FileState::of(&p, u64::MAX).unwrap();
    std::fs::remove_file(&p).unwrap();
    assert!(matches!(
        write_if_unchanged(&p, b"x", &now),
        Err(SaveError::ChangedOnDisk { .. })
    ));
    assert!(!p.exists());
}
