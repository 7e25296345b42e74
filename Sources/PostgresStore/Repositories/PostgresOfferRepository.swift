import BrokerCore
import Foundation
import PostgresNIO
import Store

/// ``Store/OfferRepository`` on PostgreSQL. A poll's new and changed offers go in upserts of a
/// column array each (`unnest`), in one transaction with the listing, the withdrawals and the
/// history points.
public struct PostgresOfferRepository: OfferRepository {
    private let database: PostgresBrokerDatabase
    private let catalog: GPUCatalog

    public init(database: PostgresBrokerDatabase, catalog: GPUCatalog = .standard) {
        self.database = database
        self.catalog = catalog
    }

    // MARK: Writing

    public func ingest(_ changes: OfferChanges, listing: [Offer], provider: String, at now: Date) async throws
        -> IngestSummary
    {
        // Two brokers never poll one provider at once (its lease); in key order all the same, so
        // upserts that do meet lock rows in one order.
        let upserted = changes.upserted.sorted { $0.id < $1.id }
        return try await database.transaction { connection in
            if let listedAt = changes.listedAt {
                try await connection.run(
                    """
                    INSERT INTO offer_listing (provider_id, listed_at) VALUES (\(provider), \(listedAt))
                    ON CONFLICT (provider_id) DO UPDATE SET listed_at = excluded.listed_at
                    """)
            }
            for start in stride(from: 0, to: upserted.count, by: Self.rowsPerUpsert) {
                try await connection.run(Self.upsert(upserted[start..<min(start + Self.rowsPerUpsert, upserted.count)]))
            }
            for sighting in changes.unlisted {
                try await connection.run(
                    """
                    UPDATE offer SET listed = FALSE, last_seen_at = \(sighting.lastSeenAt)
                    WHERE id = \(sighting.id.description) AND withdrawn_at IS NULL
                    """)
            }
            for sighting in changes.withdrawn {
                try await connection.run(
                    """
                    UPDATE offer SET listed = FALSE, last_seen_at = \(sighting.lastSeenAt), withdrawn_at = \(now)
                    WHERE id = \(sighting.id.description)
                    """)
            }
            guard changes.listedAt != nil else {
                return IngestSummary(
                    upserted: upserted.count, withdrawn: changes.withdrawn.count, pricePointsRecorded: 0)
            }
            let points = try await Self.recordPriceChanges(connection, listing: listing, provider: provider, at: now)
            try await Self.recordSpotCapacityChanges(connection, listing: listing, provider: provider, at: now)
            return IngestSummary(
                upserted: upserted.count, withdrawn: changes.withdrawn.count, pricePointsRecorded: points)
        }
    }

    /// Rows per upsert: each column goes as one array, so the statement's size does not grow with them.
    private static let rowsPerUpsert = 20_000

    /// Stands for NULL in the arrays of nullable columns (postgres-nio's arrays hold no NULL): a
    /// control character no provider's text has, and NaN for the reliability.
    private static let nullText = "\u{1}"

    private static func upsert(_ offers: ArraySlice<Offer>) -> PostgresQuery {
        """
        INSERT INTO offer (\(unescaped: OfferUpsert.columns))
        SELECT id, provider_id, native_id, gpu, gpu_known, gpu_count, gpu_memory_gb,
            nullif(interconnect, \(nullText)), vcpus, memory_gb, disk_gb, region, nullif(country, \(nullText)), market,
            price_per_hour_micros, price_per_gpu_hour_micros, available, nullif(reliability, 'NaN'::float8),
            first_seen_at, last_seen_at, nullif(raw, \(nullText)), TRUE
        FROM unnest(\(offers.map(\.id.description)), \(offers.map(\.providerID)), \(offers.map(\.id.native)),
            \(offers.map(\.gpu.name)), \(offers.map { $0.gpu.model != nil }), \(offers.map { Int64($0.gpuCount) }),
            \(offers.map { Int64($0.gpuMemoryGB) }), \(offers.map { $0.interconnect ?? nullText }),
            \(offers.map { Int64($0.vcpus) }), \(offers.map { Int64($0.memoryGB) }), \(offers.map { Int64($0.diskGB) }),
            \(offers.map(\.region)), \(offers.map { $0.country ?? nullText }), \(offers.map(\.market.rawValue)),
            \(offers.map(\.pricePerHour.microdollars)), \(offers.map(\.pricePerGPUHour.microdollars)),
            \(offers.map { Int64($0.available) }), \(offers.map { $0.reliability ?? .nan }),
            \(offers.map(\.firstSeenAt)), \(offers.map(\.lastSeenAt)), \(offers.map { $0.raw ?? nullText }))
            AS listed(id, provider_id, native_id, gpu, gpu_known, gpu_count, gpu_memory_gb, interconnect, vcpus,
                memory_gb, disk_gb, region, country, market, price_per_hour_micros, price_per_gpu_hour_micros,
                available, reliability, first_seen_at, last_seen_at, raw)
        \(unescaped: OfferUpsert.onConflict)
        """
    }

    /// Inserts the price points of `listing` (see ``BrokerCore/ListingHistory``). Returns how many.
    private static func recordPriceChanges(
        _ connection: PostgresConnection, listing: [Offer], provider: String, at now: Date
    ) async throws -> Int {
        var latest: [ListingHistory.PriceSeries: Int64] = [:]
        for row in try await connection.rows(
            """
            SELECT DISTINCT ON (gpu, region, market) gpu, region, market, price_per_gpu_hour_micros FROM price_point
            WHERE provider_id = \(provider) ORDER BY gpu, region, market, id DESC
            """)
        {
            let (gpu, region, market, price) = try row.decode((String, String, String, Int64).self)
            guard let market = Market(rawValue: market) else { continue }
            latest[ListingHistory.PriceSeries(gpu: gpu, region: region, market: market)] = price
        }
        let points = ListingHistory.pricePoints(of: listing, latest: latest)
        for (series, price) in points {
            try await connection.run(
                """
                INSERT INTO price_point (provider_id, gpu, region, market, price_per_gpu_hour_micros, recorded_at)
                VALUES (\(provider), \(series.gpu), \(series.region), \(series.market.rawValue), \(price), \(now))
                """)
        }
        return points.count
    }

    /// Inserts the spot capacity points of `listing` and keeps each series' latest count.
    private static func recordSpotCapacityChanges(
        _ connection: PostgresConnection, listing: [Offer], provider: String, at now: Date
    ) async throws {
        var latest: [ListingHistory.CapacitySeries: Int] = [:]
        for row in try await connection.rows(
            "SELECT gpu, gpu_count, region, available FROM spot_capacity_latest WHERE provider_id = \(provider)")
        {
            let (gpu, gpuCount, region, available) = try row.decode((String, Int, String, Int).self)
            latest[ListingHistory.CapacitySeries(gpu: gpu, gpuCount: gpuCount, region: region)] = available
        }
        for (series, count) in ListingHistory.capacityPoints(of: listing, latest: latest) {
            try await connection.run(
                """
                INSERT INTO spot_capacity (provider_id, gpu, gpu_count, region, available, recorded_at)
                VALUES (\(provider), \(series.gpu), \(series.gpuCount), \(series.region), \(count), \(now))
                """)
            try await connection.run(
                """
                INSERT INTO spot_capacity_latest (provider_id, gpu, gpu_count, region, available)
                VALUES (\(provider), \(series.gpu), \(series.gpuCount), \(series.region), \(count))
                ON CONFLICT (provider_id, gpu, gpu_count, region) DO UPDATE SET available = excluded.available
                """)
        }
    }

    // MARK: Reading

    public func spotCapacity(gpus: [String], gpuCount: Int, since: Date) async throws -> [SpotCapacityPoint] {
        guard !gpus.isEmpty else { return [] }
        return try await database.rows(
            """
            SELECT provider_id, gpu, gpu_count, region, available, recorded_at FROM spot_capacity
            WHERE gpu = ANY(\(gpus)) AND gpu_count = \(gpuCount) AND recorded_at >= \(since) ORDER BY recorded_at, id
            """
        ).map { row in
            let (provider, gpu, count, region, available, recordedAt) = try row.decode(
                (String, String, Int, String, Int, Date).self)
            return SpotCapacityPoint(
                series: SpotCapacityPoint.Series(provider: provider, gpu: gpu, gpuCount: count, region: region),
                available: available, recordedAt: recordedAt)
        }
    }

    public func liveOffers(provider: String?) async throws -> [Offer] {
        // A listed offer was last seen when its provider last listed.
        try await database.rows(
            """
            SELECT offer.*,
                CASE WHEN listed THEN coalesce(offer_listing.listed_at, last_seen_at) ELSE last_seen_at END AS seen_at
            FROM offer LEFT JOIN offer_listing USING (provider_id)
            WHERE withdrawn_at IS NULL AND (\(provider)::text IS NULL OR provider_id = \(provider))
            """
        ).map(offer(from:))
    }

    public func listingTimes() async throws -> [String: Date] {
        var times: [String: Date] = [:]
        for row in try await database.rows("SELECT provider_id, listed_at FROM offer_listing") {
            let (provider, listedAt) = try row.decode((String, Date).self)
            times[provider] = listedAt
        }
        return times
    }

    public func priceHistory(_ query: PriceHistoryQuery) async throws -> [PricePoint] {
        try await database.rows(
            """
            SELECT provider_id, gpu, region, market, price_per_gpu_hour_micros, recorded_at FROM price_point
            WHERE gpu = \(query.gpu)
              AND (\(query.provider)::text IS NULL OR provider_id = \(query.provider))
              AND (\(query.region)::text IS NULL OR region = \(query.region))
              AND (\(query.market?.rawValue)::text IS NULL OR market = \(query.market?.rawValue))
              AND (\(query.since)::timestamptz IS NULL OR recorded_at >= \(query.since))
              AND (\(query.until)::timestamptz IS NULL OR recorded_at < \(query.until))
            ORDER BY recorded_at, id LIMIT \(query.limit)
            """
        ).compactMap { row in
            let (provider, gpu, region, market, price, recordedAt) = try row.decode(
                (String, String, String, String, Int64, Date).self)
            guard let market = Market(rawValue: market) else { return nil }
            return PricePoint(
                provider: provider, gpu: gpu, region: region, market: market,
                pricePerGPUHour: Money(microdollars: price), recordedAt: recordedAt)
        }
    }

    private func offer(from row: PostgresRow) throws -> Offer {
        let columns = PostgresColumns(row)
        let idText: String = try columns["id"]
        guard let id = OfferID(idText) else { throw StoreError.corruptRecord("offer \(idText)") }
        return Offer(
            id: id, gpu: catalog.storedGPU(try columns["gpu"], known: try columns["gpu_known"]),
            gpuCount: try columns["gpu_count"], gpuMemoryGB: try columns["gpu_memory_gb"],
            interconnect: try columns["interconnect"], vcpus: try columns["vcpus"], memoryGB: try columns["memory_gb"],
            diskGB: try columns["disk_gb"], region: try columns["region"], country: try columns["country"],
            market: try columns.value("market", as: Market.self),
            pricePerHour: Money(microdollars: try columns["price_per_hour_micros"]),
            available: try columns["available"],
            reliability: try columns["reliability"], firstSeenAt: try columns["first_seen_at"],
            lastSeenAt: try columns["seen_at"], raw: try columns["raw"])
    }
}
