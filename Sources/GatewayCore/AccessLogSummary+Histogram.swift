extension AccessLogSummary {
    /// Durations in a log-linear histogram, for percentiles in constant memory.
    ///
    /// Values are whole microseconds. Below 128 µs every value has its own bucket; above, each
    /// power of two is split into 64 buckets, so a reported percentile is within 0.8 % of the true
    /// value (it is the bucket's midpoint, clamped to the observed minimum and maximum). The same
    /// idea as HdrHistogram, sized for request durations: a few kilobytes however long the log.
    public struct Histogram: Sendable, Hashable {
        private var counts: [UInt32] = []
        /// How many values were recorded.
        public private(set) var count = 0
        /// The smallest value recorded, in microseconds.
        public private(set) var minimum = Int64.max
        /// The largest value recorded, in microseconds.
        public private(set) var maximum = Int64.min

        /// An empty histogram.
        public init() {}

        /// The largest value kept apart (2^50 µs, about 35 years); larger ones are recorded as this.
        static let largestValue: Int64 = 1 << 50

        /// Records one duration; negative values count as zero.
        public mutating func record(microseconds value: Int64) {
            let value = min(max(0, value), Self.largestValue)
            let index = Self.bucket(of: value)
            if index >= self.counts.count {
                self.counts.append(contentsOf: repeatElement(0, count: index + 1 - self.counts.count))
            }
            self.counts[index] &+= 1
            self.count += 1
            self.minimum = min(self.minimum, value)
            self.maximum = max(self.maximum, value)
        }

        /// The nearest-rank `percentile` (0 < percentile ≤ 100) in milliseconds, or `nil` when
        /// empty. The top rank is the exact maximum.
        public func percentile(_ percentile: Double) -> Double? {
            guard self.count > 0 else {
                return nil
            }
            let rank = max(1, Int((percentile / 100 * Double(self.count)).rounded(.up)))
            guard rank < self.count else {
                return Double(self.maximum) / 1000  // the largest value is known exactly
            }
            var seen = 0
            for (index, count) in self.counts.enumerated() where count > 0 {
                seen += Int(count)
                if seen >= rank {
                    let (low, high) = Self.range(of: index)
                    let middle = low + (high - low) / 2
                    return Double(min(max(middle, self.minimum), self.maximum)) / 1000
                }
            }
            return Double(self.maximum) / 1000
        }

        private static let linearLimit: Int64 = 128
        private static let subBuckets = 64

        static func bucket(of value: Int64) -> Int {
            let value = min(value, Self.largestValue)
            guard value >= Self.linearLimit else {
                return Int(value)
            }
            let exponent = 63 - value.leadingZeroBitCount  // ≥ 7
            let shift = exponent - 6
            let sub = Int(value >> shift)  // 64..<128
            return Int(Self.linearLimit) + (exponent - 7) * Self.subBuckets + (sub - Self.subBuckets)
        }

        /// The smallest and largest value of bucket `index`.
        static func range(of index: Int) -> (Int64, Int64) {
            guard index >= Int(Self.linearLimit) else {
                return (Int64(index), Int64(index))
            }
            let offset = index - Int(Self.linearLimit)
            let exponent = offset / Self.subBuckets + 7
            let sub = Int64(offset % Self.subBuckets + Self.subBuckets)
            let shift = Int64(exponent - 6)
            let low = sub << shift
            return (low, low + (1 << shift) - 1)
        }
    }
}
