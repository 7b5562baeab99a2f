/// Path helpers on `/`-separated strings, as `NSString`'s, which FoundationEssentials leaves out.
///
/// They follow NSString's rules where runbook relies on them: trailing slashes are ignored, the
/// folder of `name` is empty, the folder of `/name` and of `/` is `/`.
public enum Path {
    /// The last part of `path` (`NSString.lastPathComponent`): `b` for `/a/b` and `/a/b/`, `/` for `/`.
    public static func fileName(_ path: String) -> String {
        let trimmed = withoutTrailingSlashes(path)
        if trimmed == "/" { return "/" }
        guard let slash = trimmed.utf8.lastIndex(of: UInt8(ascii: "/")) else { return trimmed }
        return String(trimmed[trimmed.index(after: slash)...])
    }

    /// `path` without its last part (`NSString.deletingLastPathComponent`): `/a` for `/a/b`, `` for `b`, `/` for `/a` and `/`.
    public static func folder(_ path: String) -> String {
        let trimmed = withoutTrailingSlashes(path)
        if trimmed == "/" { return "/" }
        guard let slash = trimmed.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "" }
        let folder = withoutTrailingSlashes(String(trimmed[..<slash]))
        return folder.isEmpty ? "/" : folder
    }

    /// `name` without its extension (`NSString.deletingPathExtension` on a file name): `run` for `run.jsonl`.
    public static func withoutExtension(_ name: String) -> String {
        guard let dot = name.utf8.lastIndex(of: UInt8(ascii: ".")), dot != name.startIndex,
              !name[name.index(after: dot)...].contains("/") else { return name }
        return String(name[..<dot])
    }

    private static func withoutTrailingSlashes(_ path: String) -> String {
        var text = Substring(path)
        while text.count > 1, text.hasSuffix("/") { text = text.dropLast() }
        return String(text)
    }
}
