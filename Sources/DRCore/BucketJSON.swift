import Foundation

/// JSON as dr writes it to the bucket (manifests, verification records, leases, failover
/// records): snake_case keys, sorted, UTC times with milliseconds. Times are rounded to the
/// millisecond (the formatter truncates, and a time read back is a hair below its
/// milliseconds), so a record read and written again is the same bytes, which a lease's
/// fencing relies on.
public enum BucketJSON {
  public static var encoder: JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .custom { date, encoder in
      var container = encoder.singleValueContainer()
      let rounded = date.addingTimeInterval(0.000_5)
      try container.encode(rounded.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
    }
    encoder.keyEncodingStrategy = .convertToSnakeCase
    return encoder
  }

  public static var decoder: JSONDecoder {
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .custom { decoder in
      let text = try decoder.singleValueContainer().decode(String.self)
      if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) {
        return date
      }
      if let date = try? Date(text, strategy: .iso8601) { return date }
      throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an ISO 8601 time"))
    }
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    return decoder
  }
}
