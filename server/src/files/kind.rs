//! What kind of file a path is, by name alone: lock files and binary types are not scanned as
//! text.

use std::path::Path;

/// Lock files: generated, full of hashes and URLs, never hand-written secrets.
const LOCK_FILES: [&str; 19] = [
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "bun.lock",
    "cargo.lock",
    "poetry.lock",
    "pipfile.lock",
    "pdm.lock",
    "uv.lock",
    "composer.lock",
    "gemfile.lock",
    "podfile.lock",
    "pubspec.lock",
    "mix.lock",
    "flake.lock",
    "go.sum",
    "gradle.lockfile",
    "packages.lock.json",
];

/// Extensions of binary formats (checked before reading; other binary files are recognised by a
/// NUL byte when read).
const BINARY_EXTENSIONS: [&str; 47] = [
    "png", "jpg", "jpeg", "gif", "bmp", "ico", "icns", "webp", "tif", "tiff", "psd", "mp3", "mp4",
    "m4a", "wav", "ogg", "webm", "mov", "avi", "pdf", "zip", "gz", "tgz", "bz2", "xz", "7z", "rar",
    "jar", "war", "class", "so", "dylib", "dll", "exe", "o", "a", "pyc", "whl", "woff", "woff2",
    "ttf", "otf", "eot", "bin", "sqlite", "db", "mo",
];

/// Whether the file is a package manager's lock file.
pub fn is_lock_file(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| LOCK_FILES.contains(&n.to_ascii_lowercase().as_str()))
}

/// Whether the file's extension (or name, for `.DS_Store`) is a binary format.
pub fn is_binary_type(path: &Path) -> bool {
    if path.file_name().is_some_and(|n| n == ".DS_Store") {
        return true;
    }
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| BINARY_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_lock_files_and_binary_types() {
        assert!(is_lock_file(Path::new("web/package-lock.json")));
        assert!(is_lock_file(Path::new("Cargo.lock")));
        assert!(!is_lock_file(Path::new("locks.json")));
        assert!(is_binary_type(Path::new("img/logo.PNG")));
        assert!(is_binary_type(Path::new("locale/de/LC_MESSAGES/django.mo")));
        assert!(!is_binary_type(Path::new(".env")));
        assert!(!is_binary_type(Path::new("Dockerfile")));
    }
}
