import RunbookModel
import RunbookRun
import RunbookSupport
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The runbook `runbook new ID` writes: every part of the format, passing `lint --strict`.
public enum Skeleton {
    public static func text(id: String) -> String {
        let title = id.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ")
        return """
        # \(title)

        One paragraph: what this runbook is for and when to use it. `runbook list` shows it.

        Tags: draft

        ## Guardrails
        - `rm -rf /`: never delete from the root; name the folder you mean.

        ## Variables
        - `BASE_URL`: the service's base URL. Default: `https://example.com`

        ## Check the service answers {#check-service}
        Where: PowerShell on your laptop

        Say what the step does and why, in a sentence or two.

        ```powershell
        Invoke-WebRequest -Uri "{{BASE_URL}}/" -Method Head
        ```

        Expect: `StatusCode : 200` in the output.

        ```http check
        GET {{BASE_URL}}/

        expect status 200
        ```

        """
    }

    public enum Outcome: Equatable {
        case written
        case exists
        case failed(String)
    }

    /// Writes `text` to a new file at `path`, whole or not at all; never overwrites.
    public static func write(_ text: String, to path: String) -> Outcome {
        let folder = Path.folder(path)
        let temporary = (folder.isEmpty ? "." : folder) + "/.\(UUID().uuidString).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return .failed(String(cString: strerror(errno))) }
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { System.write(fd, $0.baseAddress! + written, bytes.count - written) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                let reason = String(cString: strerror(errno))
                close(fd)
                unlink(temporary)
                return .failed(reason)
            }
            written += count
        }
        let synced = fsync(fd) == 0
        close(fd)
        // link() fails if the target exists: an atomic "create only if new", with the whole content.
        guard synced, link(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            return code == EEXIST ? .exists : .failed(String(cString: strerror(code)))
        }
        unlink(temporary)
        System.syncFolder(of: path)
        return .written
    }
}
