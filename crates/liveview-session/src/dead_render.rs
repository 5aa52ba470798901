//! The dead render: `mount`, `handle_params` and `render` for a plain HTTP GET.

use crate::error::ViewError;
use crate::flash::Flash;
use crate::hook::Hooks;
use crate::nav::Navigation;
use crate::params::Params;
use crate::session_data::Session;
use crate::socket::Socket;
use crate::view::LiveView;

/// The outcome of a dead (HTTP) render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeadRender {
    /// The view's HTML and page title.
    Page {
        /// The inner HTML of the view's container.
        html: String,
        /// The page title, if the view set one.
        title: Option<String>,
    },
    /// Mount or `handle_params` asked to go elsewhere (an HTTP redirect).
    Redirect {
        /// Where to.
        to: String,
    },
}

/// Runs `mount`, `handle_params` and `render` for a plain HTTP GET (not connected): the
/// shorthand of [`DeadRenderer`] without flash or hooks.
///
/// ```
/// # use liveview_diff::{html, Rendered};
/// # use liveview_session::{Assigns, Key, LiveView, Params, Session, Socket, ViewError};
/// # const NAME: Key<String> = Key::new("name");
/// # #[derive(Default)] struct Hello;
/// # impl LiveView for Hello {
/// #     type Info = ();
/// #     type Event = ();
/// #     fn mount(&mut self, _: &Params, _: &Session, s: &mut Socket<Self>) -> Result<(), ViewError> {
/// #         s.assign(NAME, "world".to_owned()).page_title("Hi"); Ok(())
/// #     }
/// #     fn render(&self, a: &Assigns) -> Rendered { html! { p { "Hello " (a[NAME]) } } }
/// # }
/// use liveview_session::{dead_render, DeadRender};
///
/// let page = dead_render(&mut Hello, &Params::new(), &Session::new(), "http://localhost/").unwrap();
/// assert_eq!(page, DeadRender::Page { html: "<p>Hello world</p>".into(), title: Some("Hi".into()) });
/// ```
pub fn dead_render<V: LiveView>(
    view: &mut V,
    params: &Params,
    session: &Session,
    uri: &str,
) -> Result<DeadRender, ViewError> {
    DeadRenderer::new(params, session, uri).render(view)
}

/// A dead render with everything a page may bring: the flash it received (from the
/// `__phoenix_flash__` cookie a redirect left) and the `on_mount` hooks of its live session.
///
/// ```
/// # use liveview_diff::{html, Rendered};
/// # use liveview_session::{Assigns, LiveView, Params, Session, Socket, ViewError};
/// # #[derive(Default)] struct Page;
/// # impl LiveView for Page {
/// #     type Info = ();
/// #     type Event = ();
/// #     fn mount(&mut self, _: &Params, _: &Session, _: &mut Socket<Self>) -> Result<(), ViewError> { Ok(()) }
/// #     fn render(&self, a: &Assigns) -> Rendered {
/// #         let info = a.flash().get("info").cloned().unwrap_or_default();
/// #         html! { p { (info) } }
/// #     }
/// # }
/// use liveview_session::{DeadRender, DeadRenderer, Flash, Hook, Hooks};
///
/// let (params, session) = (Params::new(), Session::new());
/// let flash = Flash::from([("info".to_owned(), "Saved".to_owned())]);
/// let page = DeadRenderer::new(&params, &session, "/").flash(flash).render(&mut Page).unwrap();
/// assert!(matches!(page, DeadRender::Page { ref html, .. } if html == "<p>Saved</p>"));
///
/// let members_only = Hooks::new().on_mount(|_, session, socket| {
///     if session.get::<u64>("user_id").is_some() {
///         return Ok(Hook::Cont);
///     }
///     socket.redirect("/login");
///     Ok(Hook::Halt)
/// });
/// let page = DeadRenderer::new(&params, &session, "/").hooks(&members_only).render(&mut Page);
/// assert_eq!(page.unwrap(), DeadRender::Redirect { to: "/login".into() });
/// ```
#[derive(Debug, Clone)]
#[must_use = "a DeadRenderer does nothing until `render`"]
pub struct DeadRenderer<'a> {
    params: &'a Params,
    session: &'a Session,
    uri: &'a str,
    flash: Flash,
    hooks: Option<&'a Hooks>,
    request: Option<actix_web::HttpRequest>,
}

impl<'a> DeadRenderer<'a> {
    /// A dead render of the page at `uri`, with its parameters and session.
    pub fn new(params: &'a Params, session: &'a Session, uri: &'a str) -> Self {
        Self {
            params,
            session,
            uri,
            flash: Flash::new(),
            hooks: None,
            request: None,
        }
    }

    /// The flash the page received: the view mounts with it in the `flash` assign.
    pub fn flash(mut self, flash: Flash) -> Self {
        self.flash = flash;
        self
    }

    /// The HTTP request of the page, from which the view reads the app's data
    /// ([`SocketCore::app_data`](crate::SocketCore::app_data)).
    pub fn request(mut self, req: &actix_web::HttpRequest) -> Self {
        self.request = Some(req.clone());
        self
    }

    /// The `on_mount` hooks of the view's live session, run before its `mount`.
    pub fn hooks(mut self, hooks: &'a Hooks) -> Self {
        self.hooks = Some(hooks);
        self
    }

    /// What a view actor that runs this dead render starts with (issue 21: a dead render
    /// whose view a join may adopt; see `linger.rs`).
    pub(crate) fn spawn_args(
        &self,
        topic: std::sync::Arc<str>,
        push: crate::registry::PushRecipient,
    ) -> crate::view_actor::SpawnArgs {
        let mut args = crate::view_actor::SpawnArgs::new(
            &topic,
            self.params.clone(),
            self.session.clone(),
            push,
        );
        args.uri = self.uri.to_owned();
        args.flash = self.flash.clone();
        args.request = self.request.clone();
        args
    }

    /// Runs the hooks, `mount`, `handle_params` and `render` of `view`.
    ///
    /// # Errors
    ///
    /// What a callback returned, or [`ViewError::InvalidNavigation`] for a refused
    /// navigation target.
    pub fn render<V: LiveView>(self, view: &mut V) -> Result<DeadRender, ViewError> {
        let mut socket = Socket::<V>::new(false)
            .with_flash(self.flash)
            .with_request(self.request);
        let none = Hooks::new();
        let hooks = self.hooks.unwrap_or(&none);
        hooks.mount(view, self.params, self.session, &mut socket)?;
        socket.refused_navigation()?;
        if let Some(nav) = socket.take_navigation() {
            return Ok(redirect_of(nav));
        }
        view.handle_params(self.params, self.uri, &mut socket)?;
        socket.refused_navigation()?;
        if let Some(nav) = socket.take_navigation() {
            return Ok(redirect_of(nav));
        }
        // Live components are rendered in place; one may still navigate from its `update`.
        let (root, components) = socket.render_full(view);
        let html = crate::component::inline_html(&root, &components);
        socket.refused_navigation()?;
        if let Some(nav) = socket.take_navigation() {
            return Ok(redirect_of(nav));
        }
        Ok(DeadRender::Page {
            html,
            title: socket.take_title(),
        })
    }
}

pub(crate) fn redirect_of(nav: Navigation) -> DeadRender {
    match nav {
        Navigation::Patch { to, .. }
        | Navigation::Navigate { to, .. }
        | Navigation::Redirect { to, .. } => DeadRender::Redirect { to },
    }
}
