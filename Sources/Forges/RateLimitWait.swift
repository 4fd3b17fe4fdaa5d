import Foundation

/// How long a rate-limited answer asks Capstan to wait, from the headers each forge uses:
/// `Retry-After` (seconds or an HTTP date), GitHub's `x-ratelimit-reset` (epoch seconds,
/// when `x-ratelimit-remaining` is 0) and GitLab's `RateLimit-Reset` (epoch seconds).
/// A time the forge names is on its clock, so it is counted from the answer's `Date` where
/// the forge sends one: a runner clock running ahead (or behind) must not make a reset look
/// past, which would mean asking again at once.
enum RateLimitWait {
    /// The longest wait an answer may name: more than any budget, and a number every clock
    /// and integer can hold (a Retry-After of 1e300 or `inf` is a wait past this, not a trap).
    static let longest: Double = 365 * 86_400

    /// nil when the answer is not a rate limit; else a wait in 0...`longest`.
    static func seconds(for answer: HTTPAnswer, now: Date = Date()) -> Double? {
        asked(by: answer, now: now).map { $0.isNaN ? longest : min(max(0, $0), longest) }
    }

    private static func asked(by answer: HTTPAnswer, now: Date) -> Double? {
        let text = String(decoding: answer.body, as: UTF8.self)
        let exhausted = answer.header("x-ratelimit-remaining") == "0"
        let secondaryLimit = answer.status == 403 && (answer.header("Retry-After") != nil || exhausted
            || text.localizedCaseInsensitiveContains("rate limit"))
        guard answer.status == 429 || secondaryLimit else { return nil }
        let forgeNow = answer.header("Date").flatMap(httpDate) ?? now
        if let value = answer.header("Retry-After") {
            if let seconds = Double(value.trimmingCharacters(in: .whitespaces)) { return max(0, seconds) }
            if let date = httpDate(value) { return max(0, date.timeIntervalSince(forgeNow)) }
        }
        // GitHub's reset is that of the primary window: it says when to ask again only once
        // that window is used up, not for a secondary limit.
        if exhausted, let value = answer.header("x-ratelimit-reset"), let epoch = Double(value) {
            return max(0, epoch - forgeNow.timeIntervalSince1970)
        }
        if let value = answer.header("RateLimit-Reset"), let epoch = Double(value) {
            return max(0, epoch - forgeNow.timeIntervalSince1970)
        }
        // No hint: GitHub documents waiting at least a minute for a secondary limit, whether it
        // answers 403 or 429.
        return answer.status == 429 && !text.localizedCaseInsensitiveContains("secondary rate limit") ? 1 : 60
    }

    /// An RFC 9110 date (`Sun, 06 Nov 1994 08:49:37 GMT`).
    private static func httpDate(_ value: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: value.trimmingCharacters(in: .whitespaces))
    }
}
