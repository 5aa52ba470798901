//! Navigation targets: which URLs a view may send the browser to.
//!
//! `push_patch`, `push_navigate` and `redirect` take a **local path** (`/polls/7?tab=votes`):
//! never a scheme (`javascript:…`, `https://…`), a protocol-relative `//host`, or a backslash,
//! which browsers read as a slash. An app that redirects to a user-supplied `return_to` would
//! otherwise send `{"redirect":{"to":"javascript:alert(document.cookie)"}}` or a phishing host.
//! Leaving the site is explicit: [`SocketCore::redirect_external`](crate::SocketCore::redirect_external)
//! takes an absolute `http`/`https` URL. Phoenix draws the same line
//! (`Phoenix.Controller.redirect(to:)` against `external:`).
//!
//! A string that breaks the rule is refused where it is used: the navigation does not happen,
//! and the callback that asked for it fails with [`ViewError::InvalidNavigation`] (a `500` in the
//! dead render, an error logged live), as Phoenix raises. Validate input at the boundary with
//! [`LocalPath::parse`] to handle the error yourself.

use std::fmt;

use crate::flash::Flash;

/// Why a navigation target was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("refused navigation target {target:?}: {why}")]
pub struct InvalidTarget {
    target: String,
    why: &'static str,
}

impl InvalidTarget {
    fn new(target: &str, why: &'static str) -> Self {
        // Enough of the target to recognise it in a log, never the whole of a long input.
        let target = target.chars().take(80).collect();
        Self { target, why }
    }

    /// The reason, e.g. `"not a local path"`.
    pub fn reason(&self) -> &'static str {
        self.why
    }
}

/// A path on this site, safe to navigate to: it starts with one `/`, and holds no backslash
/// and no control character.
///
/// ```
/// use liveview_session::LocalPath;
///
/// assert_eq!(LocalPath::parse("/polls/7?tab=votes#top").unwrap().as_str(), "/polls/7?tab=votes#top");
/// for bad in ["javascript:alert(1)", "//evil.test/phish", "/\\evil.test", "https://evil.test/", "polls", "/\t/evil.test", ""] {
///     assert!(LocalPath::parse(bad).is_err(), "{bad:?}");
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LocalPath(String);

impl LocalPath {
    /// Checks `path`.
    pub fn parse(path: impl Into<String>) -> Result<Self, InvalidTarget> {
        let path = path.into();
        check_local(&path)?;
        Ok(Self(path))
    }

    /// The path.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for LocalPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for LocalPath {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl From<LocalPath> for String {
    fn from(p: LocalPath) -> Self {
        p.0
    }
}

impl TryFrom<&str> for LocalPath {
    type Error = InvalidTarget;

    fn try_from(s: &str) -> Result<Self, Self::Error> {
        Self::parse(s)
    }
}

impl TryFrom<String> for LocalPath {
    type Error = InvalidTarget;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(s)
    }
}

/// The local-path rule of [`LocalPath`].
pub(crate) fn check_local(to: &str) -> Result<(), InvalidTarget> {
    let Some(rest) = to.strip_prefix('/') else {
        return Err(InvalidTarget::new(
            to,
            "not a local path (must start with `/`)",
        ));
    };
    if rest.starts_with('/') {
        return Err(InvalidTarget::new(
            to,
            "protocol-relative `//` leaves the site",
        ));
    }
    if to.contains('\\') {
        return Err(InvalidTarget::new(
            to,
            "backslashes are read as `/` by browsers",
        ));
    }
    if to.chars().any(char::is_control) {
        // Browsers drop tabs and newlines from URLs: `/\t/evil.test` becomes `//evil.test`.
        return Err(InvalidTarget::new(to, "control characters in a path"));
    }
    let lower = rest.get(..3).map(str::to_ascii_lowercase);
    if matches!(
        lower.as_deref(),
        Some("%09" | "%0a" | "%0d" | "%5c" | "%2f")
    ) {
        return Err(InvalidTarget::new(
            to,
            "an encoded separator after the first `/`",
        ));
    }
    Ok(())
}

/// An absolute `http`/`https` URL with a host, for an explicit external redirect.
pub(crate) fn check_external(to: &str) -> Result<(), InvalidTarget> {
    let lower = to.get(..8).map(str::to_ascii_lowercase).unwrap_or_default();
    let rest = if lower.starts_with("https://") {
        &to[8..]
    } else if lower.starts_with("http://") {
        &to[7..]
    } else {
        return Err(InvalidTarget::new(
            to,
            "an external URL must be http(s)://host/…",
        ));
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if host.is_empty() || host.contains('@') {
        return Err(InvalidTarget::new(
            to,
            "an external URL needs a host (and no user info)",
        ));
    }
    if to.contains('\\') || to.chars().any(|c| c.is_control() || c == ' ') {
        return Err(InvalidTarget::new(
            to,
            "backslashes, spaces or control characters",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_paths() {
        for ok in ["/", "/a", "/a/b?c=d&e=/f#g", "/polls/%2F", "/%20x"] {
            assert!(check_local(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "a/b",
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            "https://evil.test/",
            "//evil.test",
            "/\\evil.test",
            "/a\\b",
            "/\t/evil.test",
            "/\n/evil.test",
            "/%09/evil.test",
            "/%5C/evil.test",
            "/%2f/evil.test",
            " /a",
        ] {
            assert!(check_local(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn external_urls() {
        for ok in [
            "https://example.com",
            "http://example.com:8080/a?b#c",
            "HTTPS://Example.com/",
        ] {
            assert!(check_external(ok).is_ok(), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "data:text/html,x",
            "//evil.test",
            "https://",
            "https:///path",
            "https://user@evil.test",
            "https://a b",
            "https://a\\b",
            "ftp://example.com",
            "/local",
        ] {
            assert!(check_external(bad).is_err(), "{bad:?}");
        }
    }
}

/// A navigation requested by a callback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Navigation {
    /// Same view, new URL: `handle_params` runs and the browser's URL changes.
    Patch {
        /// The path (and query) to patch to.
        to: String,
        /// Replace the history entry instead of pushing one.
        replace: bool,
    },
    /// Another live view over the same socket, without a page load.
    Navigate {
        /// The path to navigate to.
        to: String,
        /// Replace the history entry instead of pushing one.
        replace: bool,
        /// The flash the next view mounts with (the socket's flash when the callback
        /// returned); it travels signed in the join's `flash`.
        flash: Flash,
    },
    /// A full HTTP navigation.
    Redirect {
        /// The URL to load.
        to: String,
        /// The flash the next page renders; it travels signed in the `__phoenix_flash__`
        /// cookie (60 s).
        flash: Flash,
    },
}
