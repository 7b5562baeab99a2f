import RunbookModel
import RunbookSupport
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A run's log as read from disk: its records, and any torn last line.
public struct EventLog: Sendable {
    public var path: String
    public var records: [EventRecord]
    /// The stored lines, without their newlines (the hash chain is over these bytes).
    var lines: [Data]
    /// Bytes after the last newline: a write cut short by a crash, never acknowledged.
    public var tornBytes: Int
    /// The length of the file up to and including its last newline.
    var intactLength: Int
    /// The first break of the hash chain or of the numbering; nil when the chain is intact.
    var chainBreak: String?
    /// For a fork (SPEC 9): its name `RUN~…`, the run it forked from and after which event.
    var fork: (name: String, from: String, afterEvent: Int)?

    /// Reads the log at `path`: every complete line must decode; a torn last line is set aside.
    public static func read(_ path: String) throws(LogError) -> EventLog {
        switch RegularFile.read(path) {
        case .success(let bytes): return try parse(Data(bytes), path: path)
        case .failure(let problem): throw .opening(path, problem)
        }
    }

    static func parse(_ data: Data, path: String) throws(LogError) -> EventLog {
        let bytes = [UInt8](data)
        var lines: [Data] = []
        var start = 0
        for index in bytes.indices where bytes[index] == 0x0A {
            lines.append(Data(bytes[start..<index]))
            start = index + 1
        }
        var log = EventLog(path: path, records: [], lines: lines, tornBytes: bytes.count - start, intactLength: start)
        var previous = LogLine.origin
        for (index, line) in lines.enumerated() {
            let number = index + 1
            do throws(LineError) {
                let decoded = try LogLine.decode(line)
                let record = try decoded.record()
                if case .runStarted(let start) = record.event, path.hasSuffix(".jsonl"), start.run != LogError.run(ofLog: path) {
                    throw LineError("`run` is \(start.run), but this is the log of \(LogError.run(ofLog: path)): a log is never renamed")
                }
                log.records.append(record)
                if log.chainBreak == nil { log.chainBreak = Self.chainBreak(decoded, number: number, previous: previous) }
            } catch {
                if error.newer { throw .newerVersion(path: path, line: number, reason: error.message) }
                throw .badLine(path: path, line: number, reason: error.message)
            }
            previous = SHA256.hex(line)
        }
        return log
    }

    /// How line `number` breaks the chain, if it does: its number, or the hash it records of the line before.
    private static func chainBreak(_ line: LogLine, number: Int, previous: String) -> String? {
        if line.seq != number {
            return line.seq > number
                ? "line \(number) is numbered \(line.seq): \(line.seq - number) line(s) were removed before it"
                : "line \(number) is numbered \(line.seq): a line was inserted before it"
        }
        if line.prev != previous {
            return number == 1
                ? "line 1 does not start a chain: it was changed, or lines were removed before it"
                : "line \(number - 1) was changed: line \(number) records another hash for it"
        }
        return nil
    }

    /// The state the records lead to; an illegal event is an error naming its line.
    public func state() throws(LogError) -> RunState {
        guard let first = records.first else {
            throw .badLine(path: path, line: 1, reason: "the log holds no complete event")
        }
        var state: RunState
        do {
            state = try RunState(starting: first)
        } catch {
            throw .illegalEvent(path: path, line: 1, reason: error.message)
        }
        var forkStep: String?
        for (index, record) in records.enumerated().dropFirst() {
            if index == fork?.afterEvent { forkStep = state.current?.id }
            do {
                try state.apply(record)
            } catch {
                throw .illegalEvent(path: path, line: index + 1, reason: error.message)
            }
        }
        if let fork {
            state.run = fork.name
            state.fork = Fork(run: fork.from, afterEvent: fork.afterEvent, step: forkStep ?? state.current?.id)
        }
        return state
    }

    /// The hash chain and the numbering of every complete line: nil when intact, else the first break.
    ///
    /// A log with a break is read-only: `RunStore.open` refuses it, so nothing is ever appended to it.
    public func chainProblem() -> String? {
        chainBreak
    }

    /// The hash the next line must record.
    var lastHash: String {
        lines.last.map { SHA256.hex($0) } ?? LogLine.origin
    }
}
