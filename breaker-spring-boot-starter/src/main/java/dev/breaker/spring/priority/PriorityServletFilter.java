package dev.breaker.spring.priority;

import dev.breaker.Priority;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.lang.reflect.UndeclaredThrowableException;

/**
 * Gives the calls a Spring MVC request makes on its thread the priority of its {@link PriorityHeader}, in a
 * {@link Priority} scope around the rest of the chain. A request without the header (or with one that is ignored)
 * runs without a scope, at no cost.
 */
public final class PriorityServletFilter extends OncePerRequestFilter {

    private final PriorityHeader header;

    public PriorityServletFilter(PriorityHeader header) {
        this.header = header;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Priority priority = header.priorityOf(request.getHeader(header.name()));
        if (priority == null) {
            chain.doFilter(request, response);
            return;
        }
        try {
            Priority.call(priority, () -> {
                chain.doFilter(request, response);
                return null;
            });
        } catch (ServletException | IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new UndeclaredThrowableException(e);
        }
    }
}
