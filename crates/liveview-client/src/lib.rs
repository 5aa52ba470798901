//! The liveview browser client, embedded in the binary.
//!
//! The client is a set of plain JavaScript modules (no build step, no third-party code) in
//! `crates/liveview-client/js/`. It speaks the Phoenix LiveView 1.2 protocol: Phoenix Channels
//! V2 frames over one websocket at `/live/websocket`, joins every
//! `[data-phx-session]:not([data-phx-parent-id])` container on topic `lv:<id>`, merges diffs
//! into its rendered tree (byte-identical to the official client's HTML), morphs the DOM, and
//! sends `phx-click`/`phx-submit`/`phx-change`/key/focus events back.
//!
//! The server serves every file of [`FILES`] under `/live/assets/<name>` (the modules import
//! each other relatively) and the page loads the entry module:
//!
//! ```html
//! <script type="module" src="/live/assets/liveview.js"></script>
//! ```
//!
//! [`HASH`] changes whenever any source changes; use it as an ETag or cache-busting query.
//!
//! ```
//! let js = liveview_client::get("liveview.js").expect("the entry module is embedded");
//! assert!(js.contains("LiveSocket"));
//! assert_eq!(liveview_client::HASH.len(), 16);
//! ```
#![cfg_attr(docsrs, feature(doc_cfg))]

/// Every client module as `(file name, source)`, served at `/live/assets/<file name>`.
///
/// ```
/// for (name, source) in liveview_client::FILES {
///     assert!(name.ends_with(".js") && !source.is_empty());
/// }
/// ```
pub const FILES: &[(&str, &str)] = &[
    ("liveview.js", include_str!("../js/liveview.js")),
    ("live_socket.js", include_str!("../js/live_socket.js")),
    ("view.js", include_str!("../js/view.js")),
    ("bindings.js", include_str!("../js/bindings.js")),
    ("form.js", include_str!("../js/form.js")),
    ("dom_patch.js", include_str!("../js/dom_patch.js")),
    ("rendered.js", include_str!("../js/rendered.js")),
    ("socket.js", include_str!("../js/socket.js")),
];

/// The name of the entry module a page loads with `<script type="module">`.
///
/// ```
/// assert!(liveview_client::get(liveview_client::ENTRY).is_some());
/// ```
pub const ENTRY: &str = "liveview.js";

/// The source of the module `name` (e.g. `"rendered.js"`), if it is part of the client.
///
/// ```
/// assert!(liveview_client::get("rendered.js").is_some());
/// assert!(liveview_client::get("../Cargo.toml").is_none());
/// ```
#[must_use]
pub fn get(name: &str) -> Option<&'static str> {
    FILES.iter().find(|(n, _)| *n == name).map(|(_, src)| *src)
}

/// FNV-1a 64 over every file name and source, computed at compile time.
///
/// ```
/// assert_ne!(liveview_client::HASH_U64, 0);
/// ```
pub const HASH_U64: u64 = fnv1a(FILES);

/// [`HASH_U64`] as 16 lowercase hex digits, for ETags and cache busting.
///
/// ```
/// assert!(liveview_client::HASH.bytes().all(|b| b.is_ascii_hexdigit()));
/// ```
pub const HASH: &str = match std::str::from_utf8(&hex(HASH_U64)) {
    Ok(s) => s,
    Err(_) => panic!("hex digits are ASCII"),
};

const fn fnv1a(files: &[(&str, &str)]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
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
        let mut embedded: Vec<String> = FILES.iter().map(|(n, _)| (*n).to_owned()).collect();
        embedded.sort();
        assert_eq!(on_disk, embedded);
    }

    #[test]
    fn embedded_sources_match_the_files() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("js");
        for (name, source) in FILES {
            let disk = std::fs::read_to_string(dir.join(name)).expect("readable");
            assert_eq!(&disk, source, "{name}");
        }
    }

    #[test]
    fn hash_is_sixteen_hex_digits_of_the_u64() {
        assert_eq!(HASH, format!("{HASH_U64:016x}"));
    }
}
