extension StringProtocol {
    /// The last range where `other` occurs in `self` (what `range(of:options: .backwards)` finds in full Foundation).
    public func lastRange(of other: some StringProtocol) -> Range<Index>? {
        guard !other.isEmpty else { return nil }
        var index = endIndex
        while index > startIndex {
            formIndex(before: &index)
            if self[index...].starts(with: other) { return index..<self.index(index, offsetBy: other.count) }
        }
        return nil
    }
}
