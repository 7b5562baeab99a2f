import RunbookSupport
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The files of one run, joined by the hash chain (SPEC 9): `runs/RUN.jsonl` (a run begun before runs
/// were shared, or in a state folder outside git) and the session files `runs/RUN/SESSION.jsonl`.
///
/// Each session file's first line continues from a named event: its `prev` is that event's hash and its
/// `seq` follows it. Within a file each line continues from the line before. So the lines form a tree
/// rooted at `runStarted`; each branch from the root to a leaf is a run. At a node with several
/// continuations, the one that began first (its `at`, then its file name) keeps the run's name; each
/// other becomes a fork named `RUN~SUFFIX` (the suffix names the session that began it).
struct RunFiles {
    /// One file as read: its complete lines and the bytes of a torn last line.
    struct File {
        var path: String
        var lines: [Data]
        var hashes: [String]
        var tornBytes: Int
        var intactLength: Int
        /// The fork suffix of a branch this file begins.
        var suffix: String
    }

    /// A place in the tree: line `line` of file `file`.
    struct Node: Hashable {
        var file: Int
        var line: Int
    }

    /// A run: its lines from the root, in chain order.
    struct Branch {
        var name: String
        var nodes: [Node]
        /// The last node shared with the branch it forked from, for a fork.
        var forkedAfter: Int?
    }

    var run: String
    var folder: String
    var files: [File]
    var branches: [Branch] = []
    /// Files whose first line continues no event of the run: a line was changed or removed.
    var orphans: [String] = []

    /// Reads the files at `paths` (the legacy log first, when there is one).
    static func read(run: String, folder: String, paths: [String]) throws(LogError) -> RunFiles {
        var files: [File] = []
        for path in paths {
            let bytes: [UInt8]
            switch RegularFile.read(path) {
            case .success(let read): bytes = read
            case .failure(let problem): throw .opening(path, problem)
            }
            var lines: [Data] = []
            var start = 0
            for index in bytes.indices where bytes[index] == 0x0A {
                lines.append(Data(bytes[start..<index]))
                start = index + 1
            }
            if lines.isEmpty { continue }
            let name = Path.fileName(path)
            let session = name.hasSuffix(".jsonl") ? String(name.dropLast(6)) : name
            // SESSION is TIME-HOST-RANDOM: the suffix drops the time (the legacy file's is `first`).
            let parts = session.split(separator: "-", maxSplits: 2)
            let suffix = path.hasSuffix("/" + run + ".jsonl") ? "first" : (parts.count == 3 ? String(parts[2]) : session)
            files.append(File(path: path, lines: lines, hashes: lines.map { SHA256.hex($0) }, tornBytes: bytes.count - start,
                              intactLength: start, suffix: suffix))
        }
        var tree = RunFiles(run: run, folder: folder, files: files)
        tree.link()
        if tree.branches.isEmpty, let first = files.first {
            // No file starts the chain: say what is wrong with the first, line by line when it cannot be read.
            _ = try EventLog.read(first.path)
            throw .badLine(path: first.path, line: 1, reason: "no file of run \(run) starts its chain (the first event was changed or removed)")
        }
        return tree
    }

    /// The `prev` a stored line records, read without decoding it (keys are sorted and written by runbook).
    static func field(_ key: String, of line: Data) -> String? {
        let mark = ByteSearch(Array("\"\(key)\":\"".utf8))
        let bytes = [UInt8](line.prefix(4096))
        guard let start = mark.firstOffset(in: bytes) else { return nil }
        let rest = bytes[(start + mark.pattern.count)...]
        guard let end = rest.firstIndex(of: UInt8(ascii: "\"")) else { return nil }
        return String(decoding: rest[..<end], as: UTF8.self)
    }

    private mutating func link() {
        var byHash: [String: Node] = [:]
        for (f, file) in files.enumerated() {
            for (i, hash) in file.hashes.enumerated() { byHash[hash] = byHash[hash] ?? Node(file: f, line: i) }
        }
        var children: [Node: [Node]] = [:]
        var roots: [Node] = []
        for (f, file) in files.enumerated() {
            for i in 1..<max(file.lines.count, 1) { children[Node(file: f, line: i - 1), default: []].append(Node(file: f, line: i)) }
            let prev = Self.field("prev", of: file.lines[0]) ?? ""
            if prev == LogLine.origin {
                roots.append(Node(file: f, line: 0))
            } else if let parent = byHash[prev] {
                children[parent, default: []].append(Node(file: f, line: 0))
            } else {
                orphans.append(file.path)
            }
        }
        // One root: the first file that starts a chain. Another is no continuation of this run.
        guard let root = roots.first else { return }
        orphans += roots.dropFirst().map { files[$0.file].path }
        func began(_ node: Node) -> (String, Int, String) {
            (Self.field("at", of: files[node.file].lines[node.line]) ?? "", node.line == 0 ? 1 : 0, files[node.file].path)
        }
        var used = Set<String>([run])
        var pending: [(prefix: [Node], start: Node, name: String, forkedAfter: Int?)] = [([], root, run, nil)]
        while let next = pending.popLast() {
            var nodes = next.prefix
            var node = next.start
            while true {
                nodes.append(node)
                let ordered = (children[node] ?? []).sorted { began($0) < began($1) }
                guard let first = ordered.first else { break }
                for other in ordered.dropFirst() {
                    var name = run + "~" + files[other.file].suffix
                    var count = 2
                    while used.contains(name) { name = run + "~" + files[other.file].suffix + "-\(count)"; count += 1 }
                    used.insert(name)
                    pending.append((nodes, other, name, nodes.count))
                }
                node = first
            }
            branches.append(Branch(name: next.name, nodes: nodes, forkedAfter: next.forkedAfter))
        }
    }

    /// The branch named `name`: the run itself, or one of its forks.
    func branch(_ name: String) -> Branch? { branches.first { $0.name == name } }

    /// The log a branch reads as: its lines joined, checked like a single file's.
    func log(of branch: Branch) throws(LogError) -> EventLog {
        var joined = Data()
        for node in branch.nodes {
            joined.append(files[node.file].lines[node.line])
            joined.append(0x0A)
        }
        // One file under the run's own name reads as it always did; session files read as the run's folder.
        let single = files.count == 1 && files[0].path.hasSuffix("/" + run + ".jsonl")
        var log = try EventLog.parse(joined, path: single ? files[0].path : folder)
        log.tornBytes = tip(of: branch).tornBytes
        log.intactLength = single ? files[0].intactLength : 0
        if case .runStarted(let start)? = log.records.first?.event, start.run != run {
            throw .badLine(path: files[branch.nodes[0].file].path, line: 1,
                           reason: "`run` is \(start.run), but this is a log of \(run): a log is never renamed")
        }
        if log.chainBreak == nil, let orphan = orphans.first {
            log.chainBreak = "\(orphan) continues from no event of run \(run): a line of the run was changed or removed"
        }
        return log
    }

    /// The file holding a branch's last line. A branch ends where nothing continues it, so that line
    /// is its file's last complete one.
    func tip(of branch: Branch) -> File { files[branch.nodes[branch.nodes.count - 1].file] }

    /// Where a fork left the branch it forked from: that branch's name, the last shared event's number,
    /// and the step the run was at then (from the shared events).
    func forkPoint(of branch: Branch) -> (from: String, afterEvent: Int)? {
        guard let shared = branch.forkedAfter else { return nil }
        let node = branch.nodes[shared - 1]
        let from = branches.first { other in other.name != branch.name && other.nodes.count > shared && other.nodes[shared - 1] == node
            && other.nodes[shared] != branch.nodes[shared] && (other.forkedAfter ?? 0) < shared }
        return (from?.name ?? run, shared)
    }
}
