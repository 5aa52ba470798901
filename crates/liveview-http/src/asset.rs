//! Serves the embedded browser client (`liveview-client`): the minified bundle at
//! `/live/assets/liveview.js` and its source modules at `/live/assets/src/<name>`, with an ETag
//! from the client's content hash and 304 answers to `If-None-Match`.

use actix_web::http::header::{self, HeaderValue};
use actix_web::{web, HttpRequest, HttpResponse};

use crate::error::AssetNotFound;

/// The path prefix the client bundle and modules are served under.
pub const ASSETS_PATH: &str = "/live/assets";

/// The URL of the client bundle with its cache-busting query, as the page loads it.
///
/// ```
/// let url = liveview_http::client_entry_url();
/// assert!(url.starts_with("/live/assets/liveview.js?v="));
/// ```
pub fn client_entry_url() -> String {
    format!(
        "{ASSETS_PATH}/{}?v={}",
        liveview_client::ENTRY,
        liveview_client::HASH
    )
}

fn etag() -> String {
    format!("\"{}\"", liveview_client::HASH)
}

/// `GET /live/assets/{name}` (`name` may be `src/<module>`).
pub(crate) async fn serve_asset(
    req: HttpRequest,
    name: web::Path<String>,
) -> Result<HttpResponse, AssetNotFound> {
    let name = name.into_inner();
    let Some(source) = liveview_client::get(&name) else {
        log::debug!("client asset `{name}` not found");
        return Err(AssetNotFound { name });
    };
    let etag = etag();
    // A URL carrying the current hash never changes: cache it for good. The source modules
    // import each other by plain name, so those are revalidated with the ETag every time.
    let versioned =
        web::Query::<std::collections::HashMap<String, String>>::from_query(req.query_string())
            .ok()
            .and_then(|q| q.get("v").cloned())
            .is_some_and(|v| v == liveview_client::HASH);
    let cache_control = if versioned {
        "public, max-age=31536000, immutable"
    } else {
        "public, no-cache"
    };
    let matches = req
        .headers()
        .get_all(header::IF_NONE_MATCH)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|t| {
            let t = t.trim();
            t == "*" || t.trim_start_matches("W/") == etag
        });
    let mut builder = if matches {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    builder.insert_header((header::ETAG, etag)).insert_header((
        header::CACHE_CONTROL,
        HeaderValue::from_static(cache_control),
    ));
    if matches {
        return Ok(builder.finish());
    }
    Ok(builder
        .insert_header((
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/javascript; charset=utf-8"),
        ))
        .body(source))
}
