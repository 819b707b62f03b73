"""A form's button and its status line, drawn by a few lines of JavaScript (anywidget).

Why not ipywidgets' Button: it tells the kernel about a click and waits for the kernel to
disable it, so the second click of a double click is already on its way and runs the step
again (an enrolled member, then a red `intermediate_session_not_found`). This button disables
itself in the browser, in the click handler, before the click is sent; the kernel enables it
again when the step has finished. The second click of a double click is ignored even when the
step was already done by then. Its styles use JupyterLab's theme variables, so it reads in
light and dark themes, and the button keeps its whole label at any zoom.
"""

from __future__ import annotations

from typing import Any, Callable

import anywidget
import traitlets

_ESM = """
function render({ model, el }) {
  el.classList.add("workbook-action");
  const button = document.createElement("button");
  button.type = "button";
  button.className = "workbook-action-button";
  const status = document.createElement("span");
  status.className = "workbook-action-status";
  status.setAttribute("role", "status");
  const draw = () => {
    button.textContent = model.get("description");
    button.disabled = model.get("disabled");
    status.innerHTML = model.get("status");
  };
  button.addEventListener("click", (event) => {
    // event.detail > 1: the second click of a double click (the browser counts them with the
    // system's double-click time). A fast step may be done and the button on again before it
    // comes: it is the same press, not a new one.
    if (button.disabled || event.detail > 1) return;
    button.disabled = true;  // now, in the browser: the second click of a double click finds it off
    model.set("disabled", true);
    model.save_changes();
    model.send({ event: "click" });
  });
  model.on("change", draw);
  draw();
  el.append(button, status);
  return () => model.off("change", draw);
}
export default { render };
"""

_CSS = """
.workbook-action { display: flex; flex-wrap: wrap; align-items: center; gap: 0.4em 0.9em; margin: 0.3em 0; }
.workbook-action-button {
  flex: 0 0 auto; min-width: max-content; white-space: nowrap;
  padding: 0.35em 1.1em; border-radius: 4px; cursor: pointer;
  font-family: var(--jp-ui-font-family); font-size: var(--jp-ui-font-size1); font-weight: 600;
  color: #fff; background: var(--jp-brand-color0); border: 1px solid var(--jp-brand-color0);
}
.workbook-action-button:hover:not(:disabled) { filter: brightness(1.15); }
.workbook-action-button:focus-visible { outline: 2px solid var(--jp-brand-color2); outline-offset: 2px; }
.workbook-action-button:disabled { opacity: 0.55; cursor: progress; }
.workbook-action-status { flex: 1 1 16em; min-width: 0; color: var(--jp-content-font-color1);
  font-size: var(--jp-content-font-size1); }
.workbook-action-status details > summary { cursor: pointer; }
"""


class ActionButton(anywidget.AnyWidget):
    """description: the button's label; disabled; status: the HTML beside it."""

    _esm = _ESM
    _css = _CSS
    description = traitlets.Unicode("").tag(sync=True)
    disabled = traitlets.Bool(False).tag(sync=True)
    status = traitlets.Unicode("").tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._handlers: list[Callable[[ActionButton], None]] = []
        self.on_msg(self._message)

    def on_click(self, handler: Callable[[ActionButton], None]) -> None:
        self._handlers.append(handler)

    def click(self) -> None:
        """What a press in the browser does, from Python (tests, and the kernel's side of a click)."""
        for handler in self._handlers:
            handler(self)

    def _message(self, _widget: Any, content: dict, _buffers: list) -> None:
        if content.get("event") == "click":
            self.click()
