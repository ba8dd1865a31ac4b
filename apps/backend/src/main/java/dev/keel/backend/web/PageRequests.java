package dev.keel.backend.web;

import java.util.regex.Pattern;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.http.HttpStatus;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * A page request as the client sent it, checked before it reaches a repository: Spring Data refuses an offset past
 * {@code Integer.MAX_VALUE} and a sort that is not a property path, and would answer either with a 500; it would
 * serve another page than the one asked for when page or size is not a number it can use.
 */
public final class PageRequests {

    private static final Pattern WHOLE_NUMBER = Pattern.compile("\\d{1,10}");
    private static final Pattern PROPERTY_PATH = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*");

    private PageRequests() {
    }

    public static Pageable checked(Pageable pageable) {
        // Spring Data reads a page or size it cannot use as the default, and a size over the most as the most: a client
        // that asked for page=-1 or size=500 would get another page than it asked for, without a word.
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
            String page = attributes.getRequest().getParameter("page");
            if (page != null && !page.isEmpty() && wholeNumber(page) < 0) {
                throw RejectedParameter.of(HttpStatus.BAD_REQUEST, "page", "page must be a whole number, 0 for the first page; it is '" + page + "'.");
            }
            String size = attributes.getRequest().getParameter("size");
            if (size != null && !size.isEmpty() && wholeNumber(size) < 1) {
                throw RejectedParameter.of(HttpStatus.BAD_REQUEST, "size", "size must be a whole number of at least 1; it is '" + size + "'.");
            }
            if (size != null && wholeNumber(size) > pageable.getPageSize()) {
                throw RejectedParameter.of(HttpStatus.BAD_REQUEST, "size", "size may be at most " + pageable.getPageSize() + "; it is '" + size + "'.");
            }
        }
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

    /** The parameter as a whole number that fits an int, or -1 when it is not one. */
    private static int wholeNumber(String parameter) {
        if (!WHOLE_NUMBER.matcher(parameter).matches()) {
            return -1;
        }
        long value = Long.parseLong(parameter);
        return value > Integer.MAX_VALUE ? -1 : (int) value;
    }
}
