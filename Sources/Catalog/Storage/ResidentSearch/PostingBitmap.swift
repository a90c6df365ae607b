/// A common word's posting list as one bit per document, with the count of postings before each
/// 64-document word: whether a document is in the list, and where, in two loads and a popcount.
/// An AND of common words (the seed's description phrases: a hundred thousand postings each)
/// galloped through the other lists; it now looks each match up here.
struct PostingBitmap: Sendable {
    private(set) var words: [UInt64] = []
    /// Postings before each word.
    private(set) var ranks: [UInt32] = []
    private(set) var count = 0

    init(_ documents: [UInt32]) {
        for document in documents { append(document) }
    }

    /// Adds `document`, which must be above every document already in (lists only grow at their end).
    mutating func append(_ document: UInt32) {
        let word = Int(document >> 6)
        while words.count <= word {
            words.append(0)
            ranks.append(UInt32(truncatingIfNeeded: count))
        }
        words[word] |= 1 << UInt64(document & 63)
        count += 1
    }

    /// The position of `document` in the posting list; nil when the list does not have it.
    func position(of document: UInt32) -> Int? {
        let word = Int(document >> 6)
        guard word < words.count else { return nil }
        let bit: UInt64 = 1 << UInt64(document & 63)
        let bits = words[word]
        guard bits & bit != 0 else { return nil }
        return Int(ranks[word]) + (bits & (bit &- 1)).nonzeroBitCount
    }
}
