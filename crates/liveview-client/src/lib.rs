//! The liveview browser client, embedded in the binary.
//!
//! The client is written as plain JavaScript modules (no third-party code) in
//! `crates/liveview-client/js/` ([`SOURCES`]). It speaks the Phoenix LiveView 1.2 protocol:
//! Phoenix Channels V2 frames over one websocket at `/live/websocket`, joins every
//! `[data-phx-session]:not([data-phx-parent-id])` container on topic `lv:<id>`, merges diffs
//! into its rendered tree (byte-identical to the official client's HTML), morphs the DOM, and
//! sends `phx-click`/`phx-submit`/`phx-change`/key/focus events back.
//!
//! What a page loads is [`BUNDLE`]: the same modules bundled into one minified ES module by
//! `bundle/bundle.mjs` (esbuild, pinned in `bundle/package-lock.json`) and committed as
//! `dist/liveview.js`, so building the crate needs no Node. The server serves it at
//! `/live/assets/liveview.js` and each source module at `/live/assets/src/<name>` (they import
//! each other relatively, so `src/liveview.js` also boots the client, unminified):
//!
//! ```html
//! <script type="module" src="/live/assets/liveview.js"></script>
//! ```
//!
//! [`HASH`] changes whenever the bundle or any source changes; use it as an ETag or
//! cache-busting query. The bundle's first line records the [`SOURCES_HASH`] it was built
//! from, and this crate's tests fail when the two disagree (a source edited without running
//! `node bundle/bundle.mjs`).
//!
//! ```
//! let js = liveview_client::get("liveview.js").expect("the bundle is embedded");
//! assert!(js.contains("LiveSocket"));
//! assert!(liveview_client::get("src/rendered.js").is_some());
//! assert_eq!(liveview_client::HASH.len(), 16);
//! ```
#![cfg_attr(docsrs, feature(doc_cfg))]

/// Every client source module as `(file name, source)`, served at `/live/assets/src/<name>`.
///
/// ```
/// for (name, source) in liveview_client::SOURCES {
///     assert!(name.ends_with(".js") && !source.is_empty());
/// }
/// ```
pub const SOURCES: &[(&str, &str)] = &[
    ("liveview.js", include_str!("../js/liveview.js")),
    ("live_socket.js", include_str!("../js/live_socket.js")),
    ("view.js", include_str!("../js/view.js")),
    ("bindings.js", include_str!("../js/bindings.js")),
    ("js.js", include_str!("../js/js.js")),
    ("form.js", include_str!("../js/form.js")),
    ("dom_patch.js", include_str!("../js/dom_patch.js")),
    ("rendered.js", include_str!("../js/rendered.js")),
    ("socket.js", include_str!("../js/socket.js")),
];

/// The minified one-file client built from [`SOURCES`] (`dist/liveview.js`), served at
/// `/live/assets/liveview.js`.
///
/// ```
/// assert!(liveview_client::BUNDLE.starts_with("/* liveview-client "));
/// ```
pub const BUNDLE: &str = include_str!("../dist/liveview.js");

/// The file name a page loads with `<script type="module">`: the bundle.
///
/// ```
/// assert_eq!(liveview_client::get(liveview_client::ENTRY), Some(liveview_client::BUNDLE));
/// ```
pub const ENTRY: &str = "liveview.js";

/// The prefix under which [`get`] finds the source modules.
pub const SOURCE_DIR: &str = "src/";

/// The served file `name`: [`ENTRY`] is the bundle, `src/<module>` a source module.
///
/// ```
/// assert!(liveview_client::get("src/rendered.js").is_some());
/// assert!(liveview_client::get("rendered.js").is_none());
/// assert!(liveview_client::get("../Cargo.toml").is_none());
/// ```
#[must_use]
pub fn get(name: &str) -> Option<&'static str> {
    if name == ENTRY {
        return Some(BUNDLE);
    }
    let module = name.strip_prefix(SOURCE_DIR)?;
    SOURCES
        .iter()
        .find(|(n, _)| *n == module)
        .map(|(_, src)| *src)
}

/// FNV-1a 64 over every source module's name and text, computed at compile time; the bundle's
/// first line must name it.
///
/// ```
/// assert_ne!(liveview_client::SOURCES_HASH, 0);
/// ```
pub const SOURCES_HASH: u64 = fnv1a(FNV_OFFSET, SOURCES);

/// FNV-1a 64 over the bundle and every source: changes whenever anything served changes.
///
/// ```
/// assert_ne!(liveview_client::HASH_U64, liveview_client::SOURCES_HASH);
/// ```
pub const HASH_U64: u64 = fnv1a(fnv1a(FNV_OFFSET, &[(ENTRY, BUNDLE)]), SOURCES);

/// [`HASH_U64`] as 16 lowercase hex digits, for ETags and cache busting.
///
/// ```
/// assert!(liveview_client::HASH.bytes().all(|b| b.is_ascii_hexdigit()));
/// ```
pub const HASH: &str = match std::str::from_utf8(&hex(HASH_U64)) {
    Ok(s) => s,
    Err(_) => panic!("hex digits are ASCII"),
};

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

const fn fnv1a(mut hash: u64, files: &[(&str, &str)]) -> u64 {
    let mut f = 0;
    while f < files.len() {
        let mut part = 0;
        while part < 2 {
            let bytes = if part == 0 {
                files[f].0.as_bytes()
            } else {
                files[f].1.as_bytes()
            };
            let mut i = 0;
            while i < bytes.len() {
                hash ^= bytes[i] as u64;
                hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
                i += 1;
            }
            // Separator so that ("ab", "c") and ("a", "bc") differ.
            hash ^= 0xff;
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
            part += 1;
        }
        f += 1;
    }
    hash
}

const fn hex(value: u64) -> [u8; 16] {
    let digits = b"0123456789abcdef";
    let mut out = [0u8; 16];
    let mut i = 0;
    while i < 16 {
        out[i] = digits[((value >> ((15 - i) * 4)) & 0xf) as usize];
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_js_module_is_embedded() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("js");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .expect("js/ exists")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".js"))
            .collect();
        on_disk.sort();
        let mut embedded: Vec<String> = SOURCES.iter().map(|(n, _)| (*n).to_owned()).collect();
        embedded.sort();
        assert_eq!(on_disk, embedded);
    }

    #[test]
    fn embedded_sources_match_the_files() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("js");
        for (name, source) in SOURCES {
            let disk = std::fs::read_to_string(dir.join(name)).expect("readable");
            assert_eq!(&disk, source, "{name}");
        }
    }

    #[test]
    fn bundle_was_built_from_these_sources() {
        let first_line = BUNDLE.lines().next().unwrap_or_default();
        let expected = format!("/* liveview-client {SOURCES_HASH:016x} ");
        assert!(
            first_line.starts_with(&expected),
            "dist/liveview.js was built from other sources ({first_line}); rebuild it: \
             cd crates/liveview-client/bundle && npm ci && node bundle.mjs"
        );
    }

    #[test]
    fn hash_is_sixteen_hex_digits_of_the_u64() {
        assert_eq!(HASH, format!("{HASH_U64:016x}"));
    }
}
