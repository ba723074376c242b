package dev.breaker.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Lua scripts the cluster runs in Redis: each a whole step (a tick, an announcement, a lease), atomic and in one
 * round trip. Sent as EVALSHA, and as EVAL once when Redis does not know them yet.
 */
final class Scripts {

    /*
     * Implementation notes.
     *
     * Keys, for namespace N (P = "breaker:{N}:"; the braces make every key of a namespace hash to one slot, so that
     * the scripts also run on Redis Cluster):
     *   P instances          ZSET   instance id -> last tick (Redis time, ms); live = ticked within the TTL
     *   P instance:<id>      HASH   breaker -> report "1|STATE|own|buffered|failed|slow"; PX TTL, refreshed per tick
     *   P open:<breaker>     STRING "1|generation|instance|cause"; PX the wait in open
     *   P lease:<breaker>    STRING "1|generation|instance"; PX the lease time, refreshed while the holder probes
     *   P events             channel "1|kind|generation|instance|waitMs|detail|breaker" (the name last: it may hold '|')
     * A generation is Redis's TIME in microseconds when an opening was announced: it orders outages across the
     * cluster without a counter key that would have to live forever. Every value starts with the format version;
     * a value that does not parse, or a key of another type, is reported back as foreign and left alone or
     * overwritten, never trusted.
     */

    /** Helpers every script starts with. ARGV[1] is the key prefix, ARGV[2] this instance's id. */
    private static final String PRELUDE = """
            local P, id = ARGV[1], ARGV[2]
            local foreign = {}
            local function split(value)
              local out, from = {}, 1
              while true do
                local bar = string.find(value, '|', from, true)
                if not bar then out[#out + 1] = string.sub(value, from); return out end
                out[#out + 1] = string.sub(value, from, bar - 1)
                from = bar + 1
              end
            end
            local function typed(key, expected)
              local kind = redis.call('TYPE', key)['ok']
              if kind == 'none' or kind == expected then return true end
              foreign[#foreign + 1] = key
              return false
            end
            local function clock()
              local t = redis.call('TIME')
              return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000),
                string.format('%d%06d', tonumber(t[1]), tonumber(t[2]))
            end
            local function read(key)
              if not typed(key, 'string') then return false end
              return redis.call('GET', key)
            end
            local function announcement(key)
              local value = read(key)
              if not value then return nil end
              local f = split(value)
              if f[1] ~= '1' or not tonumber(f[2]) or not f[3] then foreign[#foreign + 1] = key; return nil end
              return f
            end
            local function publish(kind, gen, instance, wait, detail, name)
              redis.call('PUBLISH', P .. 'events', '1|' .. kind .. '|' .. gen .. '|' .. instance .. '|' .. wait .. '|'
                .. detail .. '|' .. name)
            end
            """;

    /**
     * Marks this instance live, stores its changed reports, opens quorum breakers whose verdict a changed report
     * decides, and refreshes the probe leases it holds.
     * KEYS: instances. ARGV: prefix, id, ttlMs, full ("1": replace all reports), report count, then per report:
     * breaker, report, quorum parameters ("" unless quorum: "failRate|slowRate|minCalls|count|percent|waitMs"),
     * then lease count, then per lease: breaker, lease value, lease ms.
     * Returns {live instances, 1 if this instance's reports were gone, breakers opened, leases refreshed, foreign}.
     */
    static final Script TICK = new Script("tick", PRELUDE + """
            local ttl = tonumber(ARGV[3])
            local now, gen = clock()
            local zset = typed(KEYS[1], 'zset')
            if zset then
              redis.call('ZADD', KEYS[1], now, id)
              redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - 10 * ttl)
              redis.call('PEXPIRE', KEYS[1], 10 * ttl)
            end
            local mine = P .. 'instance:' .. id
            local missing = 0
            local n = tonumber(ARGV[5])
            if typed(mine, 'hash') then
              if ARGV[4] == '1' then redis.call('DEL', mine) elseif redis.call('EXISTS', mine) == 0 then missing = 1 end
              for k = 0, n - 1 do redis.call('HSET', mine, ARGV[6 + 3 * k], ARGV[7 + 3 * k]) end
              redis.call('PEXPIRE', mine, ttl)
            end
            local live, opened = nil, {}
            for k = 0, n - 1 do
              local name, report, params = ARGV[6 + 3 * k], split(ARGV[7 + 3 * k]), ARGV[8 + 3 * k]
              local openKey, leaseKey = P .. 'open:' .. name, P .. 'lease:' .. name
              if params ~= '' and (report[3] == '1' or tonumber(report[5]) > 0 or tonumber(report[6]) > 0)
                  and zset and not read(openKey) and not read(leaseKey) then
                live = live or redis.call('ZRANGEBYSCORE', KEYS[1], now - ttl, '+inf')
                local q = split(params)
                local votes, buffered, failed, slow = 0, 0, 0, 0
                for _, other in ipairs(live) do
                  local key = P .. 'instance:' .. other
                  if typed(key, 'hash') then
                    local value = redis.call('HGET', key, name)
                    if value then
                      local o = split(value)
                      if o[1] == '1' and tonumber(o[4]) and tonumber(o[5]) and tonumber(o[6]) then
                        if o[3] == '1' then votes = votes + 1
                        elseif o[2] == 'CLOSED' then
                          buffered = buffered + tonumber(o[4]); failed = failed + tonumber(o[5])
                          slow = slow + tonumber(o[6])
                        end
                      else
                        foreign[#foreign + 1] = key .. ' ' .. name
                      end
                    end
                  end
                end
                local needed = tonumber(q[4])
                if needed <= 0 then needed = math.max(1, math.ceil(#live * tonumber(q[5]) / 100)) end
                local cause = false
                if votes >= needed then cause = 'QUORUM'
                elseif buffered > 0 and buffered >= tonumber(q[3]) and (failed * 100 / buffered >= tonumber(q[1])
                    or slow * 100 / buffered >= tonumber(q[2])) then cause = 'CLUSTER_WINDOW' end
                if cause then
                  redis.call('SET', openKey, '1|' .. gen .. '|' .. id .. '|' .. cause, 'PX', q[6])
                  publish('open', gen, id, q[6], cause, name)
                  opened[#opened + 1] = name
                end
              end
            end
            local first = 6 + 3 * n
            local refreshed = {}
            for k = 0, tonumber(ARGV[first]) - 1 do
              local name, value, ms = ARGV[first + 1 + 3 * k], ARGV[first + 2 + 3 * k], ARGV[first + 3 + 3 * k]
              local leaseKey = P .. 'lease:' .. name
              if read(leaseKey) == value then
                redis.call('PEXPIRE', leaseKey, ms)
                refreshed[#refreshed + 1] = name
              end
            end
            local count = 1
            if zset then count = redis.call('ZCOUNT', KEYS[1], now - ttl, '+inf') end
            return {count, missing, opened, refreshed, foreign}
            """);

    /**
     * Announces that this instance's breaker opened by its own thresholds, for {@code waitMs}: joins the outage
     * announced already if there is one (keeping the later end), else starts one with a new generation; gives back
     * the lease this instance held for the trial that failed, if any; publishes the opening.
     * KEYS: open, lease. ARGV: prefix, id, waitMs, cause, breaker, lease value to give back (or "").
     * Returns {generation, wait ms, announcing instance, foreign}.
     */
    static final Script OPEN = new Script("open", PRELUDE + """
            local now, gen = clock()
            local wait, holder, cause = tonumber(ARGV[3]), id, ARGV[4]
            local current = announcement(KEYS[1])
            if current then
              local ttl = redis.call('PTTL', KEYS[1])
              gen, holder, cause = current[2], current[3], current[4] or ''
              if wait > ttl then redis.call('PEXPIRE', KEYS[1], wait) else wait = ttl end
            else
              redis.call('SET', KEYS[1], '1|' .. gen .. '|' .. id .. '|' .. cause, 'PX', wait)
            end
            if ARGV[6] ~= '' and read(KEYS[2]) == ARGV[6] then redis.call('DEL', KEYS[2]) end
            publish('open', gen, holder, wait, cause, ARGV[5])
            return {gen, wait, holder, foreign}
            """);

    /**
     * Asks for the probe lease of an outage whose wait is over: granted unless the outage (or a newer one) is still
     * announced open, or another instance holds the lease of this or a newer outage.
     * KEYS: open, lease. ARGV: prefix, id, generation, leaseMs, breaker.
     * Returns {"granted"|"held"|"open", generation, ms left (of the wait or the other's lease), instance, foreign}.
     */
    static final Script LEASE = new Script("lease", PRELUDE + """
            local current = announcement(KEYS[1])
            if current then return {'open', current[2], redis.call('PTTL', KEYS[1]), current[3], foreign} end
            local value = '1|' .. ARGV[3] .. '|' .. id
            local held = announcement(KEYS[2])
            if held and held[3] ~= id and tonumber(held[2]) >= tonumber(ARGV[3]) then
              return {'held', held[2], redis.call('PTTL', KEYS[2]), held[3], foreign}
            end
            redis.call('SET', KEYS[2], value, 'PX', ARGV[4])
            publish('lease', ARGV[3], id, ARGV[4], '', ARGV[5])
            return {'granted', ARGV[3], tonumber(ARGV[4]), id, foreign}
            """);

    /**
     * Reports that this instance's trial of an outage succeeded: ends the outage (announcement and lease) and
     * publishes the verdict, unless a newer outage is announced or another instance holds this outage's lease.
     * KEYS: open, lease. ARGV: prefix, id, generation, breaker.
     * Returns {"ok"|"newer"|"held", generation, ms left, instance, foreign}.
     */
    static final Script RECOVERED = new Script("recovered", PRELUDE + """
            local current = announcement(KEYS[1])
            if current and current[2] ~= ARGV[3] then
              return {'newer', current[2], redis.call('PTTL', KEYS[1]), current[3], foreign}
            end
            local lease = announcement(KEYS[2])
            if lease and lease[3] ~= id and lease[2] == ARGV[3] then
              return {'held', lease[2], redis.call('PTTL', KEYS[2]), lease[3], foreign}
            end
            redis.call('DEL', KEYS[1], KEYS[2])
            publish('recovered', ARGV[3], id, 0, '', ARGV[4])
            return {'ok', ARGV[3], 0, id, foreign}
            """);

    /**
     * Applies a manual action cluster-wide: forgets the outage (announcement and lease) when the action ends it,
     * and publishes the action for every instance to apply, with a generation: announcements older than it are
     * stale from then on.
     * KEYS: open, lease. ARGV: prefix, id, action, breaker, "1" if it ends the outage.
     * Returns {"ok", generation, foreign}.
     */
    static final Script MANUAL = new Script("manual", PRELUDE + """
            local now, gen = clock()
            if ARGV[5] == '1' then redis.call('DEL', KEYS[1], KEYS[2]) end
            publish('manual', gen, id, 0, ARGV[3], ARGV[4])
            return {'ok', gen, foreign}
            """);

    /**
     * What Redis holds about the given breakers: the live instances, then per breaker its announcement and lease
     * (value and ms left) and, if asked, each live instance's report of it.
     * KEYS: instances. ARGV: prefix, id, ttlMs, "1" to include reports, breakers...
     * Returns {live ids, {open, openMs, lease, leaseMs, report per live id...} per breaker..., foreign}.
     */
    static final Script DESCRIBE = new Script("describe", PRELUDE + """
            local now = clock()
            local live = {}
            if typed(KEYS[1], 'zset') then
              live = redis.call('ZRANGEBYSCORE', KEYS[1], now - tonumber(ARGV[3]), '+inf')
            end
            local out = {live}
            for k = 5, #ARGV do
              local openKey, leaseKey = P .. 'open:' .. ARGV[k], P .. 'lease:' .. ARGV[k]
              local entry = {read(openKey), redis.call('PTTL', openKey), read(leaseKey), redis.call('PTTL', leaseKey)}
              if ARGV[4] == '1' then
                for _, other in ipairs(live) do
                  local key = P .. 'instance:' .. other
                  if typed(key, 'hash') then entry[#entry + 1] = redis.call('HGET', key, ARGV[k])
                  else entry[#entry + 1] = false end
                end
              end
              out[#out + 1] = entry
            end
            out[#out + 1] = foreign
            return out
            """);

    /**
     * Leaves the cluster: this instance is no longer live, its reports go, and so do the leases it holds.
     * KEYS: instances. ARGV: prefix, id, then per lease: breaker, lease value.
     */
    static final Script LEAVE = new Script("leave", PRELUDE + """
            if typed(KEYS[1], 'zset') then redis.call('ZREM', KEYS[1], id) end
            redis.call('DEL', P .. 'instance:' .. id)
            for k = 3, #ARGV, 2 do
              if read(P .. 'lease:' .. ARGV[k]) == ARGV[k + 1] then redis.call('DEL', P .. 'lease:' .. ARGV[k]) end
            end
            return {'ok', foreign}
            """);

    private Scripts() {
    }

    /** A script and its SHA-1, which EVALSHA names it by. */
    record Script(String name, String text, String sha) {

        Script(String name, String text) {
            this(name, text, sha1(text));
        }

        private static String sha1(String text) {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                        .digest(text.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("Every Java platform has SHA-1", e);
            }
        }
    }
}
