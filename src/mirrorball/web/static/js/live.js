// Server-sent events with a reconnect that never gives up. The browser's EventSource retries on its
// own after a dropped connection, but gives up for good when the server answers an error status or
// is unreachable at the moment of a retry (readyState CLOSED); a venue laptop that restarts must
// not leave the big screen frozen, so we rebuild the EventSource with a capped backoff. After every
// (re)connection `onOpen` runs so the page can fetch a fresh snapshot of anything it missed.

const MAX_DELAY_MS = 10000;

/**
 * @param {string} url           the event stream
 * @param {object} handlers      {eventName: (data, event) => void}; data is parsed JSON when possible
 * @param {object} [options]     {onOpen(), statusElement}
 * @returns {{close: () => void}}
 */
export function subscribe(url, handlers, options = {}) {
  const status = options.statusElement ?? document.querySelector("[data-live-status]");
  let source = null;
  let delay = 500;
  let timer = null;
  let closed = false;

  const show = (state, text) => {
    if (!status) return;
    status.dataset.state = state;
    status.textContent = text;
  };

  const connect = () => {
    show("connecting", "Connecting…");
    source = new EventSource(url, { withCredentials: true });
    source.onopen = () => {
      delay = 500;
      show("open", "Live");
      if (options.onOpen) options.onOpen();
    };
    source.onerror = () => {
      if (closed) return;
      if (source.readyState === EventSource.CLOSED) {
        show("closed", "Reconnecting…");
        timer = setTimeout(connect, delay);
        delay = Math.min(delay * 2, MAX_DELAY_MS);
      } else {
        show("connecting", "Reconnecting…");
      }
    };
    for (const [name, handler] of Object.entries(handlers)) {
      source.addEventListener(name, (event) => {
        let data = event.data;
        try { data = JSON.parse(event.data); } catch { /* plain text event */ }
        handler(data, event);
      });
    }
  };

  connect();
  return {
    close() {
      closed = true;
      clearTimeout(timer);
      if (source) source.close();
      show("closed", "Stopped");
    },
  };
}
