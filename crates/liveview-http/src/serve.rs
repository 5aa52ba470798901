//! Running an app: the server setup every LiveView server needs, and its address read from the
//! environment, so that an app's `main` is a few lines.

use std::io;
use std::net::SocketAddr;

use actix_web::dev::{Server, ServerHandle};
use actix_web::web::ServiceConfig;
use actix_web::{App, HttpServer};

/// The variable [`Serve::from_env`] reads the host to bind from (default `127.0.0.1`).
pub const HOST_ENV: &str = "HOST";
/// The variable [`Serve::from_env`] reads the port from (default `4000`).
pub const PORT_ENV: &str = "PORT";
/// The variable [`LiveConfig::from_env`](crate::LiveConfig::from_env) reads the secret from.
pub const SECRET_ENV: &str = "SECRET_KEY_BASE";

/// How [`serve`] runs an app: where it listens and with how many workers. The socket options
/// every LiveView server needs are always set: `client_disconnect_timeout`
/// ([`CLIENT_DISCONNECT_TIMEOUT`](liveview_session::CLIENT_DISCONNECT_TIMEOUT), so a closed
/// websocket's TCP connection ends at once) and `on_connect`
/// ([`on_connect`](liveview_session::on_connect): `TCP_NODELAY` and the send timeout).
///
/// ```no_run
/// use liveview_http::{LiveConfig, Serve};
/// # use liveview_diff::{html, Rendered};
/// # use liveview_session::{Assigns, LiveView, Params, Session, Socket, ViewError};
/// # #[derive(Default)] struct Hello;
/// # impl LiveView for Hello {
/// #     type Info = ();
/// #     type Event = ();
/// #     fn mount(&mut self, _: &Params, _: &Session, _: &mut Socket<Self>) -> Result<(), ViewError> { Ok(()) }
/// #     fn render(&self, _: &Assigns) -> Rendered { html! { "hello" } }
/// # }
///
/// #[actix_web::main]
/// async fn main() -> std::io::Result<()> {
///     let live = LiveConfig::from_env().live::<Hello>("/");
///     Serve::from_env()
///         .workers(2)
///         .run(move || liveview_http::config(live.clone()))
///         .await
/// }
/// ```
#[derive(Debug, Clone)]
#[must_use = "a Serve does nothing until `run` or `start`"]
pub struct Serve {
    host: String,
    port: Result<u16, String>,
    workers: Option<usize>,
}

impl Default for Serve {
    /// `127.0.0.1:4000`, one worker per CPU.
    fn default() -> Self {
        Self {
            host: "127.0.0.1".to_owned(),
            port: Ok(4000),
            workers: None,
        }
    }
}

impl Serve {
    /// The host from `$HOST` (default `127.0.0.1`) and the port from `$PORT` (default
    /// `4000`). A `$PORT` that is not a port number makes [`Serve::run`] fail with
    /// `InvalidInput`, naming it.
    pub fn from_env() -> Self {
        let mut serve = Self::default();
        if let Ok(host) = std::env::var(HOST_ENV) {
            serve.host = host;
        }
        if let Ok(port) = std::env::var(PORT_ENV) {
            serve.port = port
                .parse()
                .map_err(|_| format!("${PORT_ENV} is `{port}`, not a port number"));
        }
        serve
    }

    /// Listens on `host` (an IP address or a name that resolves).
    pub fn host(mut self, host: impl Into<String>) -> Self {
        self.host = host.into();
        self
    }

    /// Listens on `port` (0: one the OS picks).
    pub fn port(mut self, port: u16) -> Self {
        self.port = Ok(port);
        self
    }

    /// Runs `workers` worker threads (default: one per CPU, as actix-web does).
    pub fn workers(mut self, workers: usize) -> Self {
        self.workers = Some(workers);
        self
    }

    /// Binds and starts serving the app (in the current actix system): `app` configures each
    /// worker's `App`; an app's `fn app(…) -> impl FnOnce(&mut ServiceConfig)`, or
    /// [`config`](crate::config), fits. Await [`Listening::wait`] to serve until the process
    /// is stopped; [`Serve::run`] does both.
    ///
    /// ```no_run
    /// # async fn run(live: liveview_http::LiveConfig) -> std::io::Result<()> {
    /// let server = liveview_http::Serve::from_env().start(move || liveview_http::config(live.clone()))?;
    /// println!("listening on {}", server.url()); // e.g. for a script waiting for the server
    /// server.wait().await
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// When `$PORT` was not a port number, or the address cannot be bound.
    ///
    /// # Panics
    ///
    /// Outside an actix system (`#[actix_web::main]` provides one).
    pub fn start<F, C>(self, app: F) -> io::Result<Listening>
    where
        F: Fn() -> C + Send + Clone + 'static,
        C: FnOnce(&mut ServiceConfig),
    {
        let port = self
            .port
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
        let mut server = HttpServer::new(move || App::new().configure(app()))
            .client_disconnect_timeout(liveview_session::CLIENT_DISCONNECT_TIMEOUT)
            .on_connect(liveview_session::on_connect);
        if let Some(workers) = self.workers {
            server = server.workers(workers);
        }
        let server = server.bind((self.host.as_str(), port))?;
        let addrs = server.addrs();
        for addr in &addrs {
            log::info!("listening on http://{addr}/");
        }
        Ok(Listening {
            addrs,
            server: server.run(),
        })
    }

    /// Binds and serves the app until the process is stopped (`Ctrl-C` or `SIGTERM`: actix-web
    /// shuts down gracefully); see [`Serve::start`].
    ///
    /// # Errors
    ///
    /// As [`Serve::start`], or when the server fails.
    pub async fn run<F, C>(self, app: F) -> io::Result<()>
    where
        F: Fn() -> C + Send + Clone + 'static,
        C: FnOnce(&mut ServiceConfig),
    {
        self.start(app)?.wait().await
    }
}

/// A server [`Serve::start`] started: where it listens, and its handle.
pub struct Listening {
    addrs: Vec<SocketAddr>,
    server: Server,
}

impl std::fmt::Debug for Listening {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Listening")
            .field("addrs", &self.addrs)
            .finish_non_exhaustive()
    }
}

impl Listening {
    /// The addresses it is bound to.
    pub fn addrs(&self) -> &[SocketAddr] {
        &self.addrs
    }

    /// `http://<first address>/`.
    pub fn url(&self) -> String {
        self.addrs
            .first()
            .map_or_else(String::new, |a| format!("http://{a}/"))
    }

    /// A handle to stop the server from elsewhere ([`ServerHandle::stop`]).
    pub fn handle(&self) -> ServerHandle {
        self.server.handle()
    }

    /// Serves until the server stops (a signal, or [`ServerHandle::stop`]).
    ///
    /// # Errors
    ///
    /// When the server fails.
    pub async fn wait(self) -> io::Result<()> {
        self.server.await
    }
}

/// Serves the app on the address of [`Serve::from_env`] (`$HOST`, `$PORT`, default
/// `127.0.0.1:4000`) with the socket options every LiveView server needs; see [`Serve`].
///
/// ```no_run
/// # use liveview_diff::{html, Rendered};
/// # use liveview_session::{Assigns, LiveView, Params, Session, Socket, ViewError};
/// # #[derive(Default)] struct Counter;
/// # impl LiveView for Counter {
/// #     type Info = ();
/// #     type Event = ();
/// #     fn mount(&mut self, _: &Params, _: &Session, _: &mut Socket<Self>) -> Result<(), ViewError> { Ok(()) }
/// #     fn render(&self, _: &Assigns) -> Rendered { html! { "0" } }
/// # }
/// use liveview_http::LiveConfig;
///
/// #[actix_web::main]
/// async fn main() -> std::io::Result<()> {
///     let live = LiveConfig::from_env().live::<Counter>("/");
///     liveview_http::serve(move || liveview_http::config(live.clone())).await
/// }
/// ```
///
/// # Errors
///
/// As [`Serve::run`].
pub async fn serve<F, C>(app: F) -> io::Result<()>
where
    F: Fn() -> C + Send + Clone + 'static,
    C: FnOnce(&mut ServiceConfig),
{
    Serve::from_env().run(app).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builders_override_the_defaults() {
        let s = Serve::default().host("0.0.0.0").port(8080).workers(3);
        assert_eq!(s.host, "0.0.0.0");
        assert_eq!(s.port, Ok(8080));
        assert_eq!(s.workers, Some(3));
    }

    #[actix_rt::test]
    async fn a_bad_port_is_an_error_naming_it() {
        let s = Serve {
            port: Err("$PORT is `x`, not a port number".to_owned()),
            ..Serve::default()
        };
        let e = s
            .run(|| |_: &mut ServiceConfig| {})
            .await
            .expect_err("a bad port");
        assert_eq!(e.kind(), io::ErrorKind::InvalidInput);
        assert!(e.to_string().contains("$PORT"), "{e}");
    }

    #[actix_rt::test]
    async fn a_started_server_answers_on_its_address_and_stops() {
        let server = Serve::default()
            .port(0)
            .workers(1)
            .start(|| {
                |cfg: &mut ServiceConfig| {
                    cfg.route("/", actix_web::web::get().to(|| async { "up" }));
                }
            })
            .expect("bind 127.0.0.1:0");
        let url = server.url();
        assert!(url.starts_with("http://127.0.0.1:"), "{url}");
        let handle = server.handle();
        let serving = actix_rt::spawn(server.wait());
        let mut res = awc::Client::new().get(&url).send().await.expect("GET /");
        assert_eq!(res.body().await.expect("body"), "up");
        handle.stop(true).await;
        serving.await.expect("joined").expect("stopped cleanly");
    }
}
