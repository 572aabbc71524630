/// The host page (PROTOCOL.md §A.9): it posts the token into a named iframe (never in a URL),
/// then speaks the editor's postMessage protocol.
struct HostPage {
    var title: String
    var actionURL: String
    var token: String
    var tokenTTL: Int64
    var favicon: String?
    var closeURL: String
    var language: String
    /// ONLYOFFICE reads extra editor settings from this form field.
    var docsAPIConfig: String?
    /// The other editors that can open the file, shown as a bar above the frame.
    var alternatives: [(name: String, url: String, current: Bool)] = []
    /// Opened when the editor asks for sharing (`UI_Sharing`, `UI_Share`) or versions
    /// (`UI_FileVersions`); nil where the user may not.
    var shareURL: String? = nil
    var versionsURL: String? = nil

    func html() -> String {
        let icon = favicon.map { "<link rel=\"icon\" href=\"\(escape($0))\">" } ?? ""
        let extra =
            docsAPIConfig.map { "<input type=\"hidden\" name=\"docs_api_config\" value=\"\(escape($0))\">" } ?? ""
        let chooser =
            alternatives.isEmpty
            ? ""
            : "<nav id=\"editors\" aria-label=\"Open with\">Open with: "
                + alternatives.map { option in
                    option.current
                        ? "<strong aria-current=\"page\">\(escape(option.name))</strong>"
                        : "<a href=\"\(escape(option.url))\">\(escape(option.name))</a>"
                }.joined(separator: " · ") + "</nav>"
        return """
            <!DOCTYPE html>
            <html lang="\(escape(language))">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(title))</title>
            \(icon)
            <style>html,body{margin:0;height:100%;overflow:hidden}body{display:flex;flex-direction:column}#office_frame{border:0;width:100%;flex:1;display:block}#editors{font:14px system-ui,sans-serif;padding:4px 12px;background:#f3f3f3;border-bottom:1px solid #ddd}</style>
            </head>
            <body>
            \(chooser)
            <form id="office_form" name="office_form" target="office_frame" action="\(escape(actionURL))" method="post">
            <input type="hidden" name="access_token" value="\(escape(token))">
            <input type="hidden" name="access_token_ttl" value="\(tokenTTL)">
            \(extra)
            </form>
            <iframe id="office_frame" name="office_frame" title="\(escape(title))" allowfullscreen
              sandbox="allow-scripts allow-same-origin allow-forms allow-popups allow-top-navigation allow-popups-to-escape-sandbox allow-downloads allow-modals"></iframe>
            <script>
            \(Self.script(closeURL: closeURL, shareURL: shareURL, versionsURL: versionsURL))
            </script>
            </body>
            </html>
            """
    }

    /// Submits the form, answers the editor's `App_LoadingStatus` with `Host_PostmessageReady`,
    /// follows `UI_Close` (replacing the page, so Back does not reopen the editor), shows
    /// `File_Rename`, opens sharing and versions, and warns before leaving unsaved changes.
    /// Only messages from the editor's frame and origin are heard.
    static func script(closeURL: String, shareURL: String? = nil, versionsURL: String? = nil) -> String {
        """
        (function () {
          var form = document.getElementById('office_form');
          var frame = document.getElementById('office_frame');
          var editorOrigin = new URL(form.action).origin;
          var shareURL = \(shareURL.map(jsString) ?? "null");
          var versionsURL = \(versionsURL.map(jsString) ?? "null");
          var ready = false;
          var modified = false;
          function post(id, values) {
            frame.contentWindow.postMessage(JSON.stringify({ MessageId: id, SendTime: Date.now(), Values: values || {} }), editorOrigin);
          }
          window.addEventListener('beforeunload', function (event) {
            if (modified) { event.preventDefault(); event.returnValue = ''; }
          });
          window.addEventListener('message', function (event) {
            if (event.origin !== editorOrigin || event.source !== frame.contentWindow) return;
            var message;
            try { message = typeof event.data === 'string' ? JSON.parse(event.data) : event.data; } catch (e) { return; }
            if (!message || typeof message.MessageId !== 'string') return;
            var values = message.Values || {};
            switch (message.MessageId) {
              case 'App_LoadingStatus':
                if (!ready) { ready = true; post('Host_PostmessageReady'); }
                break;
              case 'Doc_ModifiedStatus':
                modified = values.Modified === true;
                break;
              case 'UI_Close':
                modified = false;
                window.location.replace(\(jsString(closeURL)));
                break;
              case 'File_Rename':
                if (values.NewName) { document.title = values.NewName; frame.title = values.NewName; }
                break;
              case 'UI_Sharing':
              case 'UI_Share':
                if (shareURL) window.open(shareURL, '_blank', 'noopener');
                break;
              case 'UI_FileVersions':
                if (versionsURL) window.open(versionsURL, '_blank', 'noopener');
                break;
            }
          });
          form.submit();
        })();
        """
    }

    func escape(_ text: String) -> String { Self.escape(text) }

    static func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    /// A JavaScript string literal, safe inside a <script> element.
    static func jsString(_ text: String) -> String {
        var out = "'"
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "'": out += "\\'"
            case "<": out += "\\u003c"
            case ">": out += "\\u003e"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "'"
    }
}
