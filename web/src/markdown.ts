// A small Markdown renderer for text panels: headings, paragraphs, lists, bold, italic, code and
// links. It builds DOM nodes and text nodes only, so any HTML in the text is shown as text.

const inlinePattern = /(`[^`]+`)|(\*\*[^*]+\*\*|__[^_]+__)|(\*[^*]+\*|_[^_]+_)|(\[[^\]]+\]\([^)\s]+\))/;

function safeHref(href: string): string | null {
  // Relative links and web or mail links only: no javascript: or data: URLs.
  return /^(https?:|mailto:|\/|#|\.{0,2}\/)/i.test(href) || !/^[a-z][a-z0-9+.-]*:/i.test(href) ? href : null;
}

function inline(text: string, parent: Node): void {
  let rest = text;
  for (let match = inlinePattern.exec(rest); match; match = inlinePattern.exec(rest)) {
    if (match.index > 0) {
      parent.appendChild(document.createTextNode(rest.slice(0, match.index)));
    }

    const token = match[0];
    if (match[1]) {
      const code = document.createElement("code");
      code.textContent = token.slice(1, -1);
      parent.appendChild(code);
    } else if (match[2] || match[3]) {
      const cut = match[2] ? 2 : 1;
      const element = document.createElement(match[2] ? "strong" : "em");
      inline(token.slice(cut, -cut), element);
      parent.appendChild(element);
    } else {
      const [, label = "", href = ""] = /^\[([^\]]+)\]\(([^)\s]+)\)$/.exec(token) ?? [];
      const target = safeHref(href);
      if (target) {
        const link = document.createElement("a");
        link.href = target;
        if (/^https?:/i.test(target)) {
          link.rel = "noopener noreferrer";
        }

        inline(label, link);
        parent.appendChild(link);
      } else {
        parent.appendChild(document.createTextNode(label));
      }
    }

    rest = rest.slice(match.index + token.length);
  }

  if (rest) {
    parent.appendChild(document.createTextNode(rest));
  }
}

/** Renders text as a fragment of headings, lists and paragraphs. */
export function renderMarkdown(text: string): DocumentFragment {
  const fragment = document.createDocumentFragment();
  let paragraph: string[] = [];
  let list: HTMLElement | null = null;
  const flush = (): void => {
    if (paragraph.length) {
      const p = document.createElement("p");
      inline(paragraph.join(" "), p);
      fragment.appendChild(p);
      paragraph = [];
    }
  };

  for (const raw of text.replace(/\r\n?/g, "\n").split("\n")) {
    const line = raw.trim();
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    const item = /^(?:([-*+])|(\d+)[.)])\s+(.*)$/.exec(line);
    if (!line) {
      flush();
      list = null;
    } else if (heading) {
      flush();
      list = null;
      // Panel titles are h2; headings inside a panel start below them.
      const element = document.createElement(`h${Math.min(6, heading[1]!.length + 2)}`);
      inline(heading[2]!, element);
      fragment.appendChild(element);
    } else if (item) {
      flush();
      const tag = item[1] ? "UL" : "OL";
      if (!list || list.tagName !== tag) {
        list = document.createElement(tag);
        fragment.appendChild(list);
      }

      const li = document.createElement("li");
      inline(item[3]!, li);
      list.appendChild(li);
    } else {
      list = null;
      paragraph.push(line);
    }
  }

  flush();
  return fragment;
}
