//! Reading and writing the planner's files safely: reads are bounded and refuse
//! anything but a regular file (a device or FIFO would never end or never
//! start); writes are atomic, follow symlinks to the real file, keep its
//! permissions, refuse non-regular targets, and can refuse to overwrite a file
//! that changed on disk since it was loaded.

use std::fs::{self, File, Metadata};
use std::hash::Hasher;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// What a file was when it was read: enough to tell, before a save, whether
/// someone else (another console, an editor) changed it since.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileState {
    /// Modification time, where the platform reports one.
    pub modified: Option<SystemTime>,
    pub len: u64,
    /// A hash of the whole content (the same process compares it).
    pub hash: u64,
}

impl FileState {
    fn new(meta: &Metadata, bytes: &[u8]) -> FileState {
        let mut h = std::hash::DefaultHasher::new();
        h.write(bytes);
        FileState {
            modified: meta.modified().ok(),
            len: bytes.len() as u64,
            hash: h.finish(),
        }
    }

    /// The state of the file at `path` now (read in full, at most `max` bytes).
    pub fn of(path: &Path, max: u64) -> io::Result<FileState> {
        read_bounded(path, max).map(|(_, s)| s)
    }
}

/// Why a save was refused.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// The file changed on disk since it was loaded: writing would discard
    /// someone else's edits.
    #[error("{} changed on disk since it was loaded; not overwriting it", path.display())]
    ChangedOnDisk { path: PathBuf },
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// Opens `path` for reading only if it is a regular file (after following
/// symlinks); the open itself does not block on a FIFO.
fn open_regular(path: &Path) -> io::Result<(File, Metadata)> {
    let mut opts = fs::OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.custom_flags(libc::O_NONBLOCK);
    }
    let file = opts.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(not_regular(path, &meta));
    }
    Ok((file, meta))
}

fn not_regular(path: &Path, meta: &Metadata) -> io::Error {
    let what = if meta.is_dir() {
        "a folder"
    } else {
        "not a regular file (a device, FIFO or socket)"
    };
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!(
            "{} is {what}; only regular files are read or written",
            path.display()
        ),
    )
}

/// Reads a regular file of at most `max` bytes, with its [`FileState`].
/// Devices (`/dev/zero`, `/dev/urandom`), FIFOs and folders are refused
/// without reading, and a file that grows past `max` while being read is
/// refused after `max + 1` bytes (`ErrorKind::FileTooLarge`).
pub fn read_bounded(path: &Path, max: u64) -> io::Result<(Vec<u8>, FileState)> {
    let (file, meta) = open_regular(path)?;
    let too_large = |n: u64| {
        io::Error::new(
            io::ErrorKind::FileTooLarge,
            format!("{n} bytes or more; files of more than {max} bytes are refused"),
        )
    };
    if meta.len() > max {
        return Err(too_large(meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(max.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(too_large(bytes.len() as u64));
    }
    let state = FileState::new(&meta, &bytes);
    Ok((bytes, state))
}

/// Writes `bytes` to `path` through a temporary file in the same folder, synced
/// and then renamed over the target, so a failure (full disk, read-only folder)
/// leaves any old file intact. Refuses to replace an existing file unless
/// `overwrite` is set (and never replaces a file that appears meanwhile).
/// A symlink is followed to the file it names, which is replaced keeping its
/// permissions; a target that is not a regular file (`/dev/null`, a folder)
/// is refused.
pub fn write_atomic(path: &Path, bytes: &[u8], overwrite: bool) -> io::Result<()> {
    write_atomic_with(path, bytes, overwrite, |f, b| f.write_all(b))
}

/// [`write_atomic`], refusing with [`SaveError::ChangedOnDisk`] when the file
/// at `path` is no longer what `loaded` describes (another program saved it
/// since). A file that was deleted since counts as changed.
pub fn write_if_unchanged(path: &Path, bytes: &[u8], loaded: &FileState) -> Result<(), SaveError> {
    let now = match FileState::of(path, u64::MAX) {
        Ok(s) => Some(s),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(e.into()),
    };
    if now
        .as_ref()
        .is_none_or(|n| n.len != loaded.len || n.hash != loaded.hash)
    {
        return Err(SaveError::ChangedOnDisk {
            path: path.to_path_buf(),
        });
    }
    write_atomic(path, bytes, true).map_err(SaveError::from)
}

/// The file a save to `path` must replace: symlinks followed (relative ones
/// from the link's folder), up to 40 hops as the kernel allows.
pub fn resolve_target(path: &Path) -> io::Result<PathBuf> {
    let mut p = path.to_path_buf();
    for _ in 0..40 {
        match fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let link = fs::read_link(&p)?;
                p = match p.parent() {
                    Some(dir) if link.is_relative() => dir.join(link),
                    _ => link,
                };
            }
            _ => return Ok(p),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("{}: too many levels of symbolic links", path.display()),
    ))
}

/// [`write_atomic`] with the write itself supplied (tests inject a failing one
/// to check that the old file survives a full disk).
pub fn write_atomic_with(
    path: &Path,
    bytes: &[u8],
    overwrite: bool,
    write: impl FnOnce(&mut File, &[u8]) -> io::Result<()>,
) -> io::Result<()> {
    let target = resolve_target(path)?;
    let existing = match fs::metadata(&target) {
        Ok(m) => Some(m),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(e),
    };
    if let Some(meta) = &existing {
        if !meta.is_file() {
            return Err(not_regular(path, meta));
        }
        if !overwrite {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!("{} exists; not overwriting it", path.display()),
            ));
        }
    }
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = target
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file path"))?;
    // `.NAME.<pid>.<random>.tmp`: the pid lets a later run remove what a
    // killed write left behind ([`clean_stale_temporaries`]).
    let prefix = format!(".{}.{}.", name.to_string_lossy(), std::process::id());
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // A new file gets the usual 0666 less the umask; a replaced one its own mode.
        let mode = existing
            .as_ref()
            .map_or(0o666, |m| m.permissions().mode() & 0o7777);
        builder.permissions(fs::Permissions::from_mode(mode));
    }
    // Dropped on any error, the temporary file is removed.
    let mut tmp = builder.tempfile_in(dir)?;
    if let Some(meta) = &existing {
        // The umask may have narrowed the mode given at creation.
        fs::set_permissions(tmp.path(), meta.permissions())?;
    }
    write(tmp.as_file_mut(), bytes)?;
    tmp.as_file().sync_all()?;
    if overwrite {
        tmp.persist(&target).map_err(|e| e.error)?;
    } else {
        tmp.persist_noclobber(&target).map_err(|e| {
            if e.error.kind() == io::ErrorKind::AlreadyExists {
                io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    format!("{} exists; not overwriting it", path.display()),
                )
            } else {
                e.error
            }
        })?;
    }
    // Make the rename itself durable where the platform allows.
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Removes the temporary files that writes to `path` left behind when their
/// process was killed midway (`.NAME.<pid>.<random>.tmp`, whose process is
/// gone). Where processes cannot be listed (no `/proc`), nothing is removed.
pub fn clean_stale_temporaries(path: &Path) {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
        return;
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    if !Path::new("/proc/self").exists() {
        return;
    }
    let prefix = format!(".{}.", name.to_string_lossy());
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let file = e.file_name();
        let file = file.to_string_lossy();
        let Some(pid) = file
            .strip_prefix(&prefix)
            .filter(|rest| rest.ends_with(".tmp"))
            .and_then(|rest| rest.split('.').next())
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            continue;
        };
        let alive = Path::new(&format!("/proc/{pid}")).exists();
        if !alive && e.file_type().is_ok_and(|t| t.is_file()) {
            let _ = fs::remove_file(e.path());
        }
    }
}
