/// Helpers for file names that come from clients (UTF-7 headers, uploads, renames).
///
/// Lengths are counted in UTF-16 code units, as .NET, JavaScript and WOPI's `FileNameMaxLength`
/// count characters, but names are only ever cut between whole characters (grapheme clusters).
/// Counting graphemes would let one "character" with thousands of combining marks pass.
public enum FileName {
    /// Makes a client-supplied name safe to store and show, or returns nil when nothing usable is left.
    ///
    /// - Keeps only the last path component; `/` and `\` both separate (Collabora sends full paths).
    /// - Drops control characters (C0, DEL, C1) and bidi embeddings, overrides and isolates, which
    ///   can disguise an extension ("x\u{202E}fdp.exe" shows as "xexe.pdf").
    /// - Replaces `< > : " | ? *` with `_`: Windows and Office refuse them. `#`, `%`, `&` and the
    ///   like stay: Windows and SharePoint Online accept them, and Folio builds URLs from file IDs.
    /// - Trims whitespace at both ends and dots at the end (Windows drops them silently), which
    ///   also turns "." and ".." into "", refused with nil.
    /// - Cuts names longer than `maxLength` (the whole name, extension included), keeping the extension.
    public static func clean(_ raw: String, maxLength: Int = 250) -> String? {
        guard maxLength > 0 else { return nil }
        // Scalars, not Characters: a combining mark must not hide a "/" inside a grapheme.
        var kept = String.UnicodeScalarView()
        for scalar in raw.unicodeScalars {
            switch scalar {
            case "/", "\\": kept.removeAll()
            case "<", ">", ":", "\"", "|", "?", "*": kept.append("_")
            default: if !isInvisibleControl(scalar) { kept.append(scalar) }
            }
        }
        let name = trimmedEnd(String(trimmedStart(kept)))
        guard !name.isEmpty else { return nil }
        guard name.utf16.count > maxLength else { return name }

        let (base, ext) = splitExtension(name)
        let cut =
            ext.utf16.count < maxLength
            ? fit(base, before: ext, maxLength: maxLength)
            : fit(name, before: "", maxLength: maxLength)
        return cut.isEmpty ? nil : cut
    }

    /// Splits "report.final.docx" into ("report.final", ".docx"). There is no extension when the
    /// last dot ends the name or only dots precede it: ".bashrc" and "..bashrc" are all base.
    public static func splitExtension(_ name: String) -> (base: String, ext: String) {
        guard let dot = name.lastIndex(of: "."),
            name.index(after: dot) != name.endIndex,
            name[..<dot].contains(where: { $0 != "." })
        else { return (name, "") }
        return (String(name[..<dot]), String(name[dot...]))
    }

    /// Returns `name` if it is free, else the first free "base (2).ext", "base (3).ext", …,
    /// cutting the base so the result stays within `maxLength`. Whether names compare
    /// case-insensitively is up to `taken`.
    public static func uniqueName(
        _ name: String, maxLength: Int = 250, taken: (String) -> Bool
    ) -> String {
        guard taken(name) else { return name }
        let (base, ext) = splitExtension(name)
        var number = 2
        while true {
            let suffix = " (\(number))"
            let candidate =
                suffix.utf16.count + ext.utf16.count < maxLength
                ? fit(base, before: suffix + ext, maxLength: maxLength)
                : fit(name, before: suffix, maxLength: maxLength)
            if !taken(candidate) { return candidate }
            number += 1
        }
    }

    /// `head` cut at a character boundary so that `head + tail` fits in `maxLength`, with the
    /// whitespace and dots the cut exposed at the end of `head` removed.
    private static func fit(_ head: String, before tail: String, maxLength: Int) -> String {
        let budget = maxLength - tail.utf16.count
        guard head.utf16.count > budget else { return head + tail }
        var cut = ""
        var length = 0
        for character in head {
            length += character.utf16.count
            if length > budget { break }
            cut.append(character)
        }
        return trimmedEnd(cut) + tail
    }

    private static func trimmedStart(_ scalars: String.UnicodeScalarView)
        -> Substring.UnicodeScalarView
    {
        scalars.drop(while: { $0.properties.isWhitespace })
    }

    private static func trimmedEnd(_ name: String) -> String {
        var scalars = name.unicodeScalars
        while let last = scalars.last, last == "." || last.properties.isWhitespace {
            scalars.removeLast()
        }
        return String(scalars)
    }

    /// C0, DEL, C1, and the bidi embeddings/overrides (U+202A–U+202E) and isolates (U+2066–U+2069).
    private static func isInvisibleControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }
}
