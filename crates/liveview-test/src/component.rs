//! [`render_component`]: one live component rendered alone, as Phoenix's
//! `render_component/3` does for a stateful component.

use liveview_diff::{html, Rendered};
use liveview_session::{
    dead_render, Assigns, DeadRender, LiveComponent, LiveView, Params, Session, Socket, ViewError,
};

/// The id the component is placed with.
const ID: &str = "render_component";

/// A view whose whole template is the component.
struct Host<C: LiveComponent> {
    props: Box<C::Props>,
}

impl<C: LiveComponent> LiveView for Host<C> {
    type Info = ();
    type Event = ();

    fn mount(&mut self, _: &Params, _: &Session, _: &mut Socket<Self>) -> Result<(), ViewError> {
        Ok(())
    }

    fn render(&self, a: &Assigns) -> Rendered {
        html! { (a.live_component::<C>(ID, (*self.props).clone())) }
    }
}

/// Renders the live component `C` alone with `props` and returns its HTML: created with
/// `Default`, then [`mount`](LiveComponent::mount), [`update`](LiveComponent::update) with
/// `props` and [`render`](LiveComponent::render), on a socket that is not connected (as in the
/// dead render), with the components it places rendered the same way and inlined. No actor and
/// no actix system is needed.
///
/// The component is the only one of its page, so its CID ([`Assigns::myself`]) is `1` and the
/// components inside it count from `2`, in render order (Phoenix gives the top one `-1`). The
/// HTML carries no `data-phx-component` attribute, as in the dead render; a mount or update
/// that fails is logged and the component renders what it has.
///
/// ```
/// use liveview_diff::{html, Rendered};
/// use liveview_session::{Assigns, ComponentSocket, LiveComponent, ViewError};
/// use liveview_test::render_component;
///
/// #[derive(Default)]
/// struct Badge;
///
/// impl LiveComponent for Badge {
///     type Props = String;
///     type Event = ();
///     type Update = ();
///     fn update(&mut self, label: String, socket: &mut ComponentSocket<Self>) -> Result<(), ViewError> {
///         socket.assign("label", label);
///         Ok(())
///     }
///     fn render(&self, a: &Assigns) -> Rendered {
///         let label: String = a.get("label");
///         html! { span.badge phx-target=(a.myself()) { (label) } }
///     }
/// }
///
/// assert_eq!(
///     render_component::<Badge>("new".to_owned()),
///     r#"<span class="badge" phx-target="1">new</span>"#
/// );
/// ```
///
/// # Panics
///
/// When the component's render panics.
pub fn render_component<C: LiveComponent>(props: C::Props) -> String {
    let mut host = Host::<C> {
        props: Box::new(props),
    };
    match dead_render(&mut host, &Params::new(), &Session::new(), "/") {
        Ok(DeadRender::Page { html, .. }) => html,
        // The host's mount does nothing and never navigates; a component's navigation in a
        // disconnected render is ignored by the dead render.
        Ok(DeadRender::Redirect { to }) => {
            panic!(
                "render_component::<{}> redirected to `{to}`",
                std::any::type_name::<C>()
            )
        }
        Err(e) => panic!(
            "render_component::<{}> failed: {e}",
            std::any::type_name::<C>()
        ),
    }
}
