/// The parts of an offer upsert both backends write the same: the columns a listed offer is
/// inserted with, and what a listing of a known offer updates (everything a poll reports but
/// when it was first seen). A column added to `offer` is added here, for both at once.
public enum OfferUpsert {
    public static let columns = """
        id, provider_id, native_id, gpu, gpu_known, gpu_count, gpu_memory_gb, interconnect,
            vcpus, memory_gb, disk_gb, region, country, market, price_per_hour_micros, price_per_gpu_hour_micros,
            available, reliability, first_seen_at, last_seen_at, raw, listed
        """

    public static let onConflict = """
        ON CONFLICT (id) DO UPDATE SET
            gpu = excluded.gpu, gpu_known = excluded.gpu_known, gpu_count = excluded.gpu_count,
            gpu_memory_gb = excluded.gpu_memory_gb, interconnect = excluded.interconnect, vcpus = excluded.vcpus,
            memory_gb = excluded.memory_gb, disk_gb = excluded.disk_gb, region = excluded.region,
            country = excluded.country, market = excluded.market,
            price_per_hour_micros = excluded.price_per_hour_micros,
            price_per_gpu_hour_micros = excluded.price_per_gpu_hour_micros, available = excluded.available,
            reliability = excluded.reliability, last_seen_at = excluded.last_seen_at, withdrawn_at = NULL,
            raw = excluded.raw, listed = TRUE
        """
}
