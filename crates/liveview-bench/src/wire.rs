//! The little of the protocol the load generator needs: the page's tokens and the refs of
//! incoming frames, read without a JSON parser (the client must stay cheap).

/// What a client takes from a dead-rendered page to join its view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageTokens {
    /// `<meta name="csrf-token" content=…>`.
    pub csrf: String,
    /// The container id (the topic is `lv:<id>`).
    pub id: String,
    /// `data-phx-session`.
    pub session: String,
    /// `data-phx-static`.
    pub static_token: String,
}

/// The value of the first `name="…"` attribute after the first occurrence of `after`.
pub fn attr<'a>(html: &'a str, after: &str, name: &str) -> Option<&'a str> {
    let rest = &html[html.find(after)?..];
    let key = format!("{name}=\"");
    let at = rest.find(&key)? + key.len();
    let end = rest[at..].find('"')?;
    Some(&rest[at..at + end])
}

impl PageTokens {
    /// Reads the tokens of the main view of `html`.
    pub fn parse(html: &str) -> Option<Self> {
        Some(Self {
            csrf: attr(html, "name=\"csrf-token\"", "content")?.to_owned(),
            id: attr(html, "<div id=", "id")?.to_owned(),
            session: attr(html, "data-phx-main", "data-phx-session")?.to_owned(),
            static_token: attr(html, "data-phx-main", "data-phx-static")?.to_owned(),
        })
    }

    /// The `phx_join` frame for this page at `url`.
    pub fn join_frame(&self, url: &str) -> String {
        format!(
            r#"["1","1","lv:{}","phx_join",{{"url":"{url}","params":{{"_csrf_token":"{}","_mounts":0,"_mount_attempts":0}},"session":"{}","static":"{}","sticky":false}}]"#,
            self.id, self.csrf, self.session, self.static_token
        )
    }
}

/// The click the counter's `+` button sends, with `reference` as its ref.
pub fn click_frame(topic: &str, reference: u64) -> String {
    format!(
        r#"["1","{reference}","{topic}","event",{{"type":"click","event":"inc","value":{{"value":""}}}}]"#
    )
}

/// The ref (second element) of a V2 frame when it is a decimal string; `None` for `null`
/// (a push) or anything else.
pub fn frame_ref(text: &str) -> Option<u64> {
    let rest = text.strip_prefix('[')?;
    // Skip the join ref: `null` or a string without escapes.
    let rest = if let Some(r) = rest.strip_prefix("null") {
        r
    } else {
        let r = rest.strip_prefix('"')?;
        &r[r.find('"')? + 1..]
    };
    let rest = rest.strip_prefix(',')?.strip_prefix('"')?;
    rest[..rest.find('"')?].parse().ok()
}

/// True for a server push (`ref` null) of event `event`.
pub fn is_push(text: &str, event: &str) -> bool {
    frame_ref(text).is_none() && text.contains(&format!(",\"{event}\","))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refs_of_replies_and_pushes() {
        assert_eq!(
            frame_ref(r#"["1","42","lv:x","phx_reply",{"status":"ok"}]"#),
            Some(42)
        );
        assert_eq!(frame_ref(r#"[null,"7","phoenix","phx_reply",{}]"#), Some(7));
        assert_eq!(frame_ref(r#"["1",null,"lv:x","diff",{"0":"1"}]"#), None);
        assert!(is_push(r#"["1",null,"lv:x","diff",{"0":"1"}]"#, "diff"));
        assert!(!is_push(
            r#"["1","3","lv:x","phx_reply",{"diff":{}}]"#,
            "diff"
        ));
    }

    #[test]
    fn page_tokens() {
        let html = r#"<head><meta name="csrf-token" content="abc"></head><body><div id="phx-Q" data-phx-main data-phx-session="S.1" data-phx-static="T.2">x</div></body>"#;
        let p = PageTokens::parse(html).expect("tokens");
        assert_eq!(
            p,
            PageTokens {
                csrf: "abc".into(),
                id: "phx-Q".into(),
                session: "S.1".into(),
                static_token: "T.2".into()
            }
        );
        assert!(p
            .join_frame("http://h/")
            .starts_with(r#"["1","1","lv:phx-Q","phx_join""#));
        assert_eq!(frame_ref(&click_frame("lv:phx-Q", 9)), Some(9));
    }
}
