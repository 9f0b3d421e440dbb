//! A page of Chorus's own showing one widget as the server rendered it, in
//! a declarative shadow root styled by `widgets.css`, for a browser that
//! runs no script: the framed petition's thank-you, the donate page.

use askama::Template;

use crate::error::ApiError;

#[derive(Debug, Template)]
#[template(path = "widget_page.html")]
pub struct WidgetPage {
    pub lang: String,
    pub title: String,
    /// `data-chorus`: which widget.
    pub kind: &'static str,
    /// Shown in a partner's frame, edge to edge; otherwise a page of its own.
    pub framed: bool,
    /// The widget's HTML, from `chorus_widgets::render`.
    pub rendered: String,
}

impl WidgetPage {
    pub fn html(&self) -> Result<String, ApiError> {
        self.render().map_err(|e| ApiError::Internal(e.to_string()))
    }
}
