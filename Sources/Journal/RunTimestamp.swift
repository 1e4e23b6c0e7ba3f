import Foundation

/// The timestamps of `run.json` (`started`): ISO 8601 with fractional seconds, UTC.
public enum RunTimestamp {
    private static func formatter() -> ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }

    public static func string(_ date: Date) -> String { formatter().string(from: date) }

    /// The date `text` names. The form xj writes (`2026-11-30T21:04:05.123Z`) is read digit by digit,
    /// to the same bits as the formatter; anything else goes through the formatter. Creating one and
    /// parsing through ICU was over half of the run index's update after a commit (issue 14, ≤ 10 ms).
    public static func date(_ text: String) -> Date? {
        if let milliseconds = utcMilliseconds(text) {
            // As Foundation computes it: ICU's milliseconds since 1970 over 1000, then the reference date.
            return Date(timeIntervalSinceReferenceDate: Double(milliseconds) / 1000 - Date.timeIntervalBetween1970AndReferenceDate)
        }
        return formatter().date(from: text)
    }

    /// Milliseconds since 1970 of exactly `yyyy-MM-ddTHH:mm:ss.SSSZ` with every field in range, from 1970
    /// (before the Gregorian reform ICU counts in the Julian calendar); nil otherwise.
    static func utcMilliseconds(_ text: String) -> Int64? {
        var text = text
        return text.withUTF8 { bytes -> Int64? in
            guard bytes.count == 24, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: "T"),
                  bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"), bytes[19] == UInt8(ascii: "."),
                  bytes[23] == UInt8(ascii: "Z") else { return nil }
            func number(_ from: Int, _ count: Int) -> Int64? {
                var value: Int64 = 0
                for index in from..<(from + count) {
                    let digit = bytes[index] &- UInt8(ascii: "0")
                    guard digit < 10 else { return nil }
                    value = value * 10 + Int64(digit)
                }
                return value
            }
            guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2), let hour = number(11, 2),
                  let minute = number(14, 2), let second = number(17, 2), let millisecond = number(20, 3),
                  (1970...9999).contains(year), (1...12).contains(month), hour < 24, minute < 60, second < 60 else { return nil }
            let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
            let monthDays: [Int64] = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
            guard day >= 1, day <= monthDays[Int(month) - 1] else { return nil }
            // Days from 1970-01-01 to the date in the proleptic Gregorian calendar (civil-from-days, inverted).
            let shiftedYear = month <= 2 ? year - 1 : year
            let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
            let yearOfEra = shiftedYear - era * 400
            let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
            let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
            let days = era * 146_097 + dayOfEra - 719_468
            return ((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + millisecond
        }
    }

    /// The fields every `run.json` starts with: start, duration until now, host, xj version and environment.
    public static func runFields(started: Date) -> [String: JSONValue] {
        ["started": .string(string(started)), "duration_seconds": .number(Date().timeIntervalSince(started)),
         "host": .string(ProcessInfo.processInfo.hostName), "xj_version": .string(XJVersion.current),
         "environment": RunEnvironment.current]
    }
}
