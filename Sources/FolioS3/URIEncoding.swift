import Foundation
import WOPI

/// AWS's URI encoding: RFC 3986 unreserved characters stay, every other UTF-8 byte becomes `%XX`
/// with uppercase hex — exactly WOPI's `ActionURL.percentEncode`. Foundation's percent-encoding APIs keep more characters than AWS does, so
/// they cannot be used here.
enum URIEncoding {
    static func encode(_ text: String) -> String { ActionURL.percentEncode(text) }

    /// Decodes `%XX` escapes; text that is not valid percent-encoded UTF-8 is kept as it is, so a
    /// stray `%` gets encoded to `%25` rather than dropping the component.
    static func decode(_ text: String) -> String {
        text.removingPercentEncoding ?? text
    }
}
