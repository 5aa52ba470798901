//! `application/x-www-form-urlencoded` decoding: a form event's payload into nested JSON params, the way
//! Plug decodes `user[email]=a&tags[]=x`.

use serde_json::{Map, Value};

/// Decodes `application/x-www-form-urlencoded` text into nested params.
///
/// `a[b]=1` nests objects, `a[]=x` appends to a list, a later plain key wins. Malformed
/// percent escapes are kept literally; nothing here can fail.
///
/// ```
/// use liveview_session::decode_form;
/// use serde_json::json;
///
/// let v = decode_form("user%5Bname%5D=jos%C3%A9&user%5Btags%5D%5B%5D=a&user%5Btags%5D%5B%5D=b&q=a+b");
/// assert_eq!(v, json!({"user": {"name": "josé", "tags": ["a", "b"]}, "q": "a b"}));
/// ```
pub fn decode_form(encoded: &str) -> Value {
    let mut root = Map::new();
    for pair in encoded.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let key = percent_decode(k);
        let value = percent_decode(v);
        insert(&mut root, &key, value);
    }
    Value::Object(root)
}

/// Splits `a[b][]` into `["a", "b", ""]`.
fn path(key: &str) -> Vec<&str> {
    let Some(open) = key.find('[') else {
        return vec![key];
    };
    let mut parts = vec![&key[..open]];
    let mut rest = &key[open..];
    while let Some(stripped) = rest.strip_prefix('[') {
        match stripped.find(']') {
            Some(close) => {
                parts.push(&stripped[..close]);
                rest = &stripped[close + 1..];
            }
            None => break,
        }
    }
    parts
}

const MAX_DEPTH: usize = 32;

fn insert(root: &mut Map<String, Value>, key: &str, value: String) {
    let parts = path(key);
    if parts.len() > MAX_DEPTH || parts[0].is_empty() {
        return;
    }
    let mut node = root;
    for (i, part) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        let next_is_list = parts.get(i + 1).is_some_and(|p| p.is_empty());
        if last {
            node.insert((*part).to_owned(), Value::String(value));
            return;
        }
        if next_is_list && i + 2 == parts.len() {
            let slot = node
                .entry((*part).to_owned())
                .or_insert_with(|| Value::Array(Vec::new()));
            if !slot.is_array() {
                *slot = Value::Array(Vec::new());
            }
            if let Value::Array(list) = slot {
                list.push(Value::String(value));
            }
            return;
        }
        let slot = node
            .entry((*part).to_owned())
            .or_insert_with(|| Value::Object(Map::new()));
        if !slot.is_object() {
            *slot = Value::Object(Map::new());
        }
        let Value::Object(next) = slot else { return };
        node = next;
    }
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Decodes one `application/x-www-form-urlencoded` component: `+` and `%XX`; malformed escapes
/// are kept literally and invalid UTF-8 becomes U+FFFD.
///
/// ```
/// assert_eq!(liveview_session::percent_decode("a+b%2Fc%zz"), "a b/c%zz");
/// ```
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keeps_malformed_escapes_literally() {
        assert_eq!(decode_form("a=%zz%4"), json!({"a": "%zz%4"}));
    }

    #[test]
    fn decodes_the_clients_unused_markers_as_ordinary_keys() {
        let v = decode_form("user%5Bname%5D=jose&user%5B_unused_email%5D=&user%5Bemail%5D=");
        assert_eq!(
            v,
            json!({"user": {"name": "jose", "_unused_email": "", "email": ""}})
        );
    }

    #[test]
    fn ignores_keys_without_a_name_and_absurd_depth() {
        let deep = format!("a{}=1", "[x]".repeat(100));
        assert_eq!(decode_form(&format!("=1&[x]=2&{deep}")), json!({}));
    }

    #[test]
    fn invalid_utf8_is_replaced_not_fatal() {
        assert_eq!(decode_form("a=%ff"), json!({"a": "\u{fffd}"}));
    }
}
