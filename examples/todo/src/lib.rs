//! The todo list: a form validated as you type, a keyed list with reorder and delete, a
//! filter kept in the URL by live patches, and a second live view (`/todos/{id}`) reached by
//! live navigation, with flash messages surviving both live navigation and full redirects.
//!
//! The binary (`src/main.rs`) serves it; tests build the same app from [`app`] and
//! [`live_config`], or mount the views alone with `liveview-test`.
//!
//! | route | view |
//! |---|---|
//! | `/` (`?filter=active\|done`) | [`TodoList`] |
//! | `/todos/{id}` | [`TodoShow`] |
//! | `/about` | [`About`] |

// The store stands in for the app's database: views read it synchronously in `mount` (the dead
// render included) and write it in events. A lock held for a Vec operation is the honest
// stand-in; the runtime's own state stays in actors (clippy.toml).
#[allow(clippy::disallowed_types)]
use std::sync::Mutex;
use std::sync::{Arc, PoisonError};

use actix_web::web::{self, ServiceConfig};
use actix_web::HttpResponse;
use liveview::core_components::flash_group;
use liveview::prelude::*;
use maud::{Markup, DOCTYPE};
use serde::Deserialize;

/// The longest title accepted.
pub const MAX_TITLE: usize = 80;
/// The longest tag accepted.
pub const MAX_TAG: usize = 12;

/// One todo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Todo {
    /// Its id, unique in the store.
    pub id: u64,
    /// What to do.
    pub title: String,
    /// An optional one-word tag.
    pub tag: Option<String>,
    /// Whether it is done.
    pub done: bool,
}

#[derive(Debug, Default)]
struct Inner {
    next_id: u64,
    todos: Vec<Todo>,
}

/// The todos, shared by every view of the app (in memory; a real app would use a database).
#[derive(Debug, Clone, Default)]
#[allow(clippy::disallowed_types)]
pub struct Store(Arc<Mutex<Inner>>);

impl Store {
    fn with<T>(&self, f: impl FnOnce(&mut Inner) -> T) -> T {
        let mut inner = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        f(&mut inner)
    }

    /// Every todo, in list order.
    pub fn all(&self) -> Vec<Todo> {
        self.with(|i| i.todos.clone())
    }

    /// One todo.
    pub fn get(&self, id: u64) -> Option<Todo> {
        self.with(|i| i.todos.iter().find(|t| t.id == id).cloned())
    }

    /// Appends a todo and returns it.
    pub fn add(&self, title: &str, tag: Option<&str>) -> Todo {
        self.with(|i| {
            i.next_id += 1;
            let todo = Todo {
                id: i.next_id,
                title: title.to_owned(),
                tag: tag.map(str::to_owned),
                done: false,
            };
            i.todos.push(todo.clone());
            todo
        })
    }

    /// Flips `done`; returns the todo.
    pub fn toggle(&self, id: u64) -> Option<Todo> {
        self.with(|i| {
            let t = i.todos.iter_mut().find(|t| t.id == id)?;
            t.done = !t.done;
            Some(t.clone())
        })
    }

    /// Marks a todo done; returns it.
    pub fn complete(&self, id: u64) -> Option<Todo> {
        self.with(|i| {
            let t = i.todos.iter_mut().find(|t| t.id == id)?;
            t.done = true;
            Some(t.clone())
        })
    }

    /// Moves a todo one place up (`-1`) or down (`1`) the list.
    pub fn shift(&self, id: u64, by: isize) {
        self.with(|i| {
            let Some(at) = i.todos.iter().position(|t| t.id == id) else {
                return;
            };
            let Some(to) = at.checked_add_signed(by).filter(|&to| to < i.todos.len()) else {
                return;
            };
            i.todos.swap(at, to);
        });
    }

    /// Renames a todo; returns it.
    pub fn rename(&self, id: u64, title: &str) -> Option<Todo> {
        self.with(|i| {
            let t = i.todos.iter_mut().find(|t| t.id == id)?;
            t.title = title.to_owned();
            Some(t.clone())
        })
    }

    /// Removes a todo; returns it.
    pub fn delete(&self, id: u64) -> Option<Todo> {
        self.with(|i| {
            let at = i.todos.iter().position(|t| t.id == id)?;
            Some(i.todos.remove(at))
        })
    }
}

/// Which todos the list shows: the `filter` query parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Filter {
    /// Every todo (`/`).
    #[default]
    All,
    /// Those not done (`/?filter=active`).
    Active,
    /// Those done (`/?filter=done`).
    Done,
}

impl Filter {
    fn parse(s: Option<&str>) -> Self {
        match s {
            Some("active") => Self::Active,
            Some("done") => Self::Done,
            _ => Self::All,
        }
    }

    /// The list's URL with this filter.
    pub fn path(self) -> &'static str {
        match self {
            Self::All => "/",
            Self::Active => "/?filter=active",
            Self::Done => "/?filter=done",
        }
    }

    fn shows(self, todo: &Todo) -> bool {
        match self {
            Self::All => true,
            Self::Active => !todo.done,
            Self::Done => todo.done,
        }
    }
}

/// The new-todo form's fields (`todo[title]`, `todo[tag]`), as the browser sends them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct NewTodo {
    /// `todo[title]`: required, at most [`MAX_TITLE`] characters.
    #[serde(default)]
    pub title: String,
    /// `todo[tag]`: optional, one word of at most [`MAX_TAG`] characters.
    #[serde(default)]
    pub tag: String,
}

impl NewTodo {
    /// The validation errors of these values, by field.
    pub fn validate(&self) -> FieldErrors {
        let mut errors = FieldErrors::new();
        let title = self.title.trim();
        if title.is_empty() {
            errors.add("title", "can't be blank");
        } else if title.chars().count() > MAX_TITLE {
            errors.add("title", format!("is too long ({MAX_TITLE} characters max)"));
        }
        let tag = self.tag.trim();
        if tag.chars().count() > MAX_TAG {
            errors.add("tag", format!("is too long ({MAX_TAG} characters max)"));
        } else if !tag.chars().all(|c| c.is_alphanumeric() || c == '-') {
            errors.add("tag", "use letters, digits and - only");
        }
        errors
    }
}

/// The list's assigns.
#[derive(Debug, LiveAssigns)]
pub struct ListState {
    /// Every todo, in list order (the filter applies when rendering).
    pub todos: Vec<Todo>,
    /// The new-todo form as typed so far.
    pub form: NewTodo,
    /// The form's visible validation errors.
    pub errors: FieldErrors,
    /// Which todos show (the `filter` query parameter).
    pub filter: Filter,
}

/// The list's events.
#[derive(Debug, LiveEvent)]
pub enum ListMsg {
    /// The form changed (`phx-change`): validate the fields the user has used.
    #[event(at = "todo")]
    Validate(Form<NewTodo>),
    /// The form was submitted: add the todo, or show every error.
    #[event(at = "todo")]
    Add(Form<NewTodo>),
    /// Flip a todo's `done`.
    Toggle {
        /// The todo.
        id: u64,
    },
    /// Move a todo one place up.
    Up {
        /// The todo.
        id: u64,
    },
    /// Move a todo one place down.
    Down {
        /// The todo.
        id: u64,
    },
    /// Delete a todo.
    Delete {
        /// The todo.
        id: u64,
    },
    /// Show the todos of a filter (`all`, `active`, `done`), by a live patch.
    Filter {
        /// The filter's name.
        filter: String,
    },
}

fn flash_area(assigns: &Assigns) -> Rendered {
    flash_group(assigns.flash())
}

/// The list at `/`: add (validated), toggle, reorder, delete, filter.
#[derive(Debug, Default)]
pub struct TodoList {
    store: Store,
}

impl TodoList {
    /// A list over `store`.
    pub fn new(store: Store) -> Self {
        Self { store }
    }

    fn refresh(&self, socket: &mut Socket<Self>) {
        socket.assign(ListState::todos, self.store.all());
    }
}

impl LiveView for TodoList {
    type Info = ListInfo;
    type Event = ListMsg;

    fn mount(
        &mut self,
        _: &Params,
        _: &Session,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket
            .assign_all(ListState {
                todos: self.store.all(),
                form: NewTodo::default(),
                errors: FieldErrors::new(),
                filter: Filter::All,
            })
            .page_title("Todos");
        Ok(())
    }

    fn handle_params(
        &mut self,
        params: &Params,
        _: &str,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign(ListState::filter, Filter::parse(params.get("filter")));
        Ok(())
    }

    fn update(&mut self, msg: ListMsg, socket: &mut Socket<Self>) -> Result<(), ViewError> {
        match msg {
            ListMsg::Validate(form) => {
                // Errors only for the fields the user has used: typing in the tag does not
                // complain about the still untouched title.
                socket
                    .assign(ListState::errors, form.validate().visible(&form))
                    .assign(ListState::form, form.into_inner());
            }
            ListMsg::Add(form) => {
                let errors = form.validate();
                if errors.is_empty() {
                    let tag = Some(form.tag.trim()).filter(|t| !t.is_empty());
                    self.store.add(form.title.trim(), tag);
                    self.refresh(socket);
                    socket
                        .assign(ListState::form, NewTodo::default())
                        .assign(ListState::errors, FieldErrors::new());
                } else {
                    // A submit uses every field: every error shows.
                    socket
                        .assign(ListState::errors, errors)
                        .assign(ListState::form, form.into_inner());
                }
            }
            ListMsg::Toggle { id } => {
                self.store.toggle(id);
                self.refresh(socket);
            }
            ListMsg::Up { id } => {
                self.store.shift(id, -1);
                self.refresh(socket);
            }
            ListMsg::Down { id } => {
                self.store.shift(id, 1);
                self.refresh(socket);
            }
            ListMsg::Delete { id } => {
                self.store.delete(id);
                self.refresh(socket);
            }
            ListMsg::Filter { filter } => {
                socket.push_patch(Filter::parse(Some(&filter)).path());
            }
        }
        Ok(())
    }

    fn handle_info(&mut self, msg: ListInfo, socket: &mut Socket<Self>) -> Result<(), ViewError> {
        match msg {
            ListInfo::Renamed { id, title } => {
                self.store.rename(id, &title);
                self.refresh(socket);
            }
        }
        Ok(())
    }

    fn render(&self, assigns: &Assigns) -> Rendered {
        let todos = &assigns[ListState::todos];
        let filter = assigns[ListState::filter];
        let form = &assigns[ListState::form];
        let errors = &assigns[ListState::errors];
        let visible: Vec<&Todo> = todos.iter().filter(|t| filter.shows(t)).collect();
        let left = todos.iter().filter(|t| !t.done).count();
        let title_len = form.title.chars().count();
        html! {
            header {
                h1 { "Todos" }
                (flash_area(assigns))
            }
            form #new-todo phx-change=(ListMsg::validate) phx-submit=(ListMsg::add) {
                div .field {
                    input #title type="text" name="todo[title]" value=(form.title) placeholder="What needs doing?" autocomplete="off";
                    span #title-count .hint { (title_len) "/" (MAX_TITLE) }
                    @if let Some(e) = errors.get("title") {
                        p #title-error .error { "Title " (e) }
                    }
                }
                div .field {
                    input #tag type="text" name="todo[tag]" value=(form.tag) placeholder="tag (optional)" autocomplete="off";
                    @if let Some(e) = errors.get("tag") {
                        p #tag-error .error { "Tag " (e) }
                    }
                }
                button #add type="submit" { "Add" }
            }
            nav #filters {
                a #filter-all href="/" data-phx-link="patch" data-phx-link-state="push" .active[filter == Filter::All] { "All" }
                a #filter-active href="/?filter=active" data-phx-link="patch" data-phx-link-state="push" .active[filter == Filter::Active] { "Active" }
                a #filter-done href="/?filter=done" data-phx-link="patch" data-phx-link-state="push" .active[filter == Filter::Done] { "Done" }
                button #show-done type="button" phx-click=(ListMsg::Filter { filter: "done".into() }) { "Show done" }
            }
            ul #todos {
                @for t in &visible; key = (t.id) {
                    (assigns.live_component::<TodoRow>(t.id, (*t).clone()))
                }
            }
            p #left { (left) " left" }
            footer {
                (Link::navigate("/about").id("about-link").text("About"))
            }
        }
    }
}

/// What a row tells its list ([`ComponentSocket::send_parent`]).
#[derive(Debug)]
pub enum ListInfo {
    /// A row's editor saved a new title.
    Renamed {
        /// The todo.
        id: u64,
        /// Its new title (validated by the row).
        title: String,
    },
}

/// One row of the list: a live component, placed by [`TodoList`] with the todo as its props.
///
/// The list's events (toggle, move, delete) carry no `phx-target`, so they go to the list; the
/// rename editor is the row's own: opening, typing and closing it re-render this row alone,
/// and the saved title goes to the list with [`ComponentSocket::send_parent`].
#[derive(Debug, Default)]
pub struct TodoRow;

/// A row's assigns.
#[derive(Debug, LiveAssigns)]
pub struct RowState {
    /// The todo it shows (its props).
    pub todo: Todo,
    /// Whether the rename editor is open.
    pub editing: bool,
    /// The editor's error, if the title is not valid.
    pub error: Option<String>,
}

/// The rename form's field (`title`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Rename {
    /// The new title.
    #[serde(default)]
    pub title: String,
}

/// A row's own events (`phx-target` is the row).
#[derive(Debug, LiveEvent)]
pub enum RowMsg {
    /// Open the rename editor.
    Edit,
    /// Close it without saving.
    Cancel,
    /// Save the new title.
    Rename(Form<Rename>),
}

impl LiveComponent for TodoRow {
    type Props = Todo;
    type Event = RowMsg;
    type Update = ();

    fn mount(&mut self, socket: &mut ComponentSocket<Self>) -> Result<(), ViewError> {
        socket
            .assign(RowState::editing, false)
            .assign(RowState::error, None);
        Ok(())
    }

    /// Runs when the list passes a todo that differs from the last one (the row re-renders);
    /// an unchanged todo runs nothing.
    fn update(&mut self, todo: Todo, socket: &mut ComponentSocket<Self>) -> Result<(), ViewError> {
        socket.assign(RowState::todo, todo);
        Ok(())
    }

    fn on_event(
        &mut self,
        msg: RowMsg,
        socket: &mut ComponentSocket<Self>,
    ) -> Result<(), ViewError> {
        match msg {
            RowMsg::Edit => {
                socket.assign(RowState::editing, true);
            }
            RowMsg::Cancel => {
                socket
                    .assign(RowState::editing, false)
                    .assign(RowState::error, None);
            }
            RowMsg::Rename(form) => {
                let title = form.title.trim().to_owned();
                if title.is_empty() || title.chars().count() > MAX_TITLE {
                    let error = format!("Title must be 1 to {MAX_TITLE} characters");
                    socket.assign(RowState::error, Some(error));
                } else {
                    let id = socket.assigns()[RowState::todo].id;
                    socket
                        .assign(RowState::editing, false)
                        .assign(RowState::error, None);
                    socket.send_parent(ListInfo::Renamed { id, title });
                }
            }
        }
        Ok(())
    }

    fn render(&self, a: &Assigns) -> Rendered {
        let t = &a[RowState::todo];
        let myself = a.myself();
        html! {
            li id={ "todo-" (t.id) } .todo .done[t.done] {
                button .toggle type="button" phx-click=(ListMsg::Toggle { id: t.id }) {
                    @if t.done { "☑" } @else { "☐" }
                }
                @if a[RowState::editing] {
                    form .rename phx-submit=(RowMsg::rename) phx-target=(myself) {
                        input type="text" name="title" value=(t.title) autocomplete="off";
                        button .save type="submit" { "Save" }
                        button .cancel type="button" phx-click=(RowMsg::Cancel) phx-target=(myself) { "Cancel" }
                        @if let Some(e) = &a[RowState::error] { span .error { (e) } }
                    }
                } @else {
                    (Link::navigate(format!("/todos/{}", t.id)).class("title").text(&t.title))
                    button .edit type="button" phx-click=(RowMsg::Edit) phx-target=(myself) title="Rename" { "✎" }
                }
                @if let Some(tag) = &t.tag { span .tag { (tag) } }
                button .up type="button" phx-click=(ListMsg::Up { id: t.id }) title="Move up" { "↑" }
                button .down type="button" phx-click=(ListMsg::Down { id: t.id }) title="Move down" { "↓" }
                button .delete type="button" phx-click=(ListMsg::Delete { id: t.id }) title="Delete" { "✕" }
            }
        }
    }
}

/// The assigns of [`TodoShow`].
#[derive(Debug, LiveAssigns)]
pub struct ShowState {
    /// The todo, `None` when the id names none.
    pub todo: Option<Todo>,
}

/// The events of [`TodoShow`].
#[derive(Debug, LiveEvent)]
pub enum ShowMsg {
    /// Mark it done and go back to the list by live navigation.
    Complete,
    /// Delete it and go back by a full redirect.
    Delete,
}

/// One todo at `/todos/{id}`: complete it (back to the list by live navigation, with a
/// flash) or delete it (back by a full redirect, with a flash in the cookie).
#[derive(Debug, Default)]
pub struct TodoShow {
    store: Store,
}

impl TodoShow {
    /// The page of one todo of `store`.
    pub fn new(store: Store) -> Self {
        Self { store }
    }
}

impl LiveView for TodoShow {
    type Info = ();
    type Event = ShowMsg;

    fn mount(
        &mut self,
        params: &Params,
        _: &Session,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        let todo = params.parse::<u64>("id").and_then(|id| self.store.get(id));
        let title = todo
            .as_ref()
            .map_or("Not found", |t| t.title.as_str())
            .to_owned();
        socket.assign_all(ShowState { todo }).page_title(title);
        Ok(())
    }

    fn update(&mut self, msg: ShowMsg, socket: &mut Socket<Self>) -> Result<(), ViewError> {
        let Some(todo) = socket.assigns().get(ShowState::todo) else {
            socket
                .put_flash("error", "That todo is gone")
                .push_navigate("/");
            return Ok(());
        };
        match msg {
            ShowMsg::Complete => {
                self.store.complete(todo.id);
                socket
                    .put_flash("info", format!("Marked “{}” as done", todo.title))
                    .push_navigate("/");
            }
            ShowMsg::Delete => {
                self.store.delete(todo.id);
                socket
                    .put_flash("info", format!("Deleted “{}”", todo.title))
                    .redirect("/");
            }
        }
        Ok(())
    }

    fn render(&self, assigns: &Assigns) -> Rendered {
        html! {
            (flash_area(assigns))
            @if let Some(t) = &assigns[ShowState::todo] {
                h1 #todo-title { (t.title) }
                p #todo-status { @if t.done { "Done" } @else { "Not done yet" } }
                @if let Some(tag) = &t.tag { p .tag { (tag) } }
                button #complete type="button" phx-click=(ShowMsg::Complete) { "Mark done and go back" }
                button #delete type="button" phx-click=(ShowMsg::Delete) { "Delete (full reload)" }
            } @else {
                h1 #todo-title { "Not found" }
            }
            p { (Link::navigate("/").id("back").text("Back to the list")) }
        }
    }
}

/// A static page at `/about`, in the same live session (reached without a page load).
#[derive(Debug, Default)]
pub struct About;

impl LiveView for About {
    type Info = ();
    type Event = ();

    fn mount(
        &mut self,
        _: &Params,
        _: &Session,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket.page_title("About");
        Ok(())
    }

    fn render(&self, assigns: &Assigns) -> Rendered {
        html! {
            (flash_area(assigns))
            h1 #about { "About" }
            p { "A todo list served by liveview-rs." }
            p { (Link::navigate("/").id("back").text("Back to the list")) }
        }
    }
}

fn layout(page: &Page<'_>) -> Markup {
    maud::html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (page.title.unwrap_or("Todos")) }
                link rel="stylesheet" href=(STYLESHEET);
                (page.head)
            }
            body { (page.content) }
        }
    }
}

/// The app's stylesheet, served at [`STYLESHEET`] next to the live routes.
const CSS: &str = include_str!("../assets/app.css");

/// Where the layout links the stylesheet from.
pub const STYLESHEET: &str = "/assets/app.css";

/// `GET /assets/app.css`: an ordinary actix-web handler next to the live routes.
async fn stylesheet() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header(("cache-control", "public, max-age=3600"))
        .body(CSS)
}

/// The live configuration over `store`: the three views, signed with `$SECRET_KEY_BASE` (a
/// random secret when it is not set).
pub fn live_config(store: Store) -> LiveConfig {
    let live = LiveConfig::from_env();
    let (list, show) = (store.clone(), store);
    live.live_with("/", move || TodoList::new(list.clone()))
        .live_with("/todos/{id}", move || TodoShow::new(show.clone()))
        .live::<About>("/about")
        .layout(layout)
}

/// The app: pass it to `App::configure`.
///
/// ```
/// # actix_web::rt::System::new().block_on(async {
/// use actix_web::{test, App};
///
/// let live = example_todo::live_config(example_todo::Store::default());
/// let app = test::init_service(App::new().configure(example_todo::app(live))).await;
/// let res = test::call_service(&app, test::TestRequest::get().uri("/").to_request()).await;
/// assert!(res.status().is_success());
/// let page = String::from_utf8(test::read_body(res).await.to_vec()).unwrap();
/// assert!(page.contains(r#"<link rel="stylesheet" href="/assets/app.css">"#));
///
/// let css = test::TestRequest::get().uri(example_todo::STYLESHEET).to_request();
/// let css = test::call_service(&app, css).await;
/// assert_eq!(css.headers().get("content-type").unwrap(), "text/css; charset=utf-8");
/// assert!(String::from_utf8(test::read_body(css).await.to_vec()).unwrap().contains(".flash"));
/// # });
/// ```
pub fn app(live: LiveConfig) -> impl FnOnce(&mut ServiceConfig) {
    move |cfg| {
        // Ordinary routes sit next to the live ones in the same `ServiceConfig`.
        cfg.route(STYLESHEET, web::get().to(stylesheet));
        liveview::config(live)(cfg);
    }
}

/// A flash with one `info` message, e.g. to sign for a test.
pub fn info_flash(message: &str) -> Flash {
    Flash::from([("info".to_owned(), message.to_owned())])
}

/// The snippets of `docs/guides/forms.md`, compiled as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/guides/forms.md")]
pub struct FormsGuide;

/// The snippets of `docs/guides/navigation.md`, compiled as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/guides/navigation.md")]
pub struct NavigationGuide;
