package dev.keel.backend.web;

import java.util.regex.Pattern;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.http.HttpStatus;

/**
 * A page request as the client sent it, checked before it reaches a repository: Spring Data refuses an offset past
 * {@code Integer.MAX_VALUE} and a sort that is not a property path, and would answer either with a 500.
 */
public final class PageRequests {

    private static final Pattern PROPERTY_PATH = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*");

    private PageRequests() {
    }

    public static Pageable checked(Pageable pageable) {
        if (pageable.isPaged() && pageable.getOffset() > Integer.MAX_VALUE) {
            throw RejectedParameter.of(HttpStatus.BAD_REQUEST, "page", "page " + pageable.getPageNumber() + " of size " + pageable.getPageSize()
                    + " is past any result; ask for a smaller page.");
        }
        for (Sort.Order order : pageable.getSort()) {
            if (!PROPERTY_PATH.matcher(order.getProperty()).matches()) {
                throw RejectedParameter.of(HttpStatus.BAD_REQUEST, "sort", "Cannot sort by '" + order.getProperty() + "': sort takes a property name, then"
                        + " optionally ,asc or ,desc.");
            }
        }
        return pageable;
    }
}
