package dev.breaker.sample.store;

import org.springframework.stereotype.Component;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The storefront's own catalog: which products exist and what they are called. Stock and prices live downstream. */
@Component
class Catalog {

    /**
     * A product of the catalog.
     *
     * @param id the product's id
     * @param name its display name
     */
    record Entry(String id, String name) {
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();

    Catalog() {
        add("1", "Espresso cup");
        add("2", "Moka pot");
        add("3", "Burr grinder");
    }

    private void add(String id, String name) {
        entries.put(id, new Entry(id, name));
    }

    Optional<Entry> find(String id) {
        return Optional.ofNullable(entries.get(id));
    }

    Collection<Entry> all() {
        return entries.values();
    }
}
