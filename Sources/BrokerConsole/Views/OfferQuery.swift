import BrokerCore
import Foundation

/// The market page's offer filters, read from its form (the same filters as `GET /v1/offers`;
/// a blank field is no filter): the ``BrokerCore/OfferFilter``, the page, and each field that
/// could not be read, with why.
public struct OfferQuery: Sendable, Equatable {
    /// The search, read by the API's rules (``BrokerCore/OfferSearchQuery``), cheapest per
    /// GPU-hour first and 50 to a page unless asked otherwise.
    public var search: OfferSearchQuery
    /// The fields as given, to fill the form again and to build the sort and paging links.
    public var fields: [String: String] = [:]

    public var filter: OfferFilter { search.filter }
    public var cursor: OfferCursor? { search.cursor }
    public var limit: Int { search.limit }
    /// The fields that could not be read, and why: their filters are left out.
    public var errors: [ParameterReader.Problem] { search.problems }

    public init(_ form: FormFields, catalog: GPUCatalog) {
        for name in OfferSearchQuery.parameters {
            if let value = form[name] { fields[name] = value }
        }
        search = OfferSearchQuery(fields, catalog: catalog, sort: .pricePerGPU, limit: 50)
    }

    /// The query string of these filters with `changes` applied (nil removes a field), for links.
    public func query(_ changes: [String: String?]) -> String {
        var values = fields
        for (name, value) in changes { values[name] = value }
        return values.sorted { $0.key < $1.key }.map { "\($0.key)=\(QueryString.encode($0.value))" }.joined(
            separator: "&")
    }
}
