package io.tutti.multimodal.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Minimal inline SVG charts for the HTML reports: line charts and grouped bar charts, with axes and a legend. */
public final class Svg {
    private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"};
    private static final int W = 560;
    private static final int H = 320;
    private static final int L = 60;
    private static final int R = 140;
    private static final int T = 30;
    private static final int B = 45;

    private Svg() {
    }

    /** A line chart of named series of (x, y) points; NaN points are skipped. */
    public static String lineChart(String title, String xLabel, String yLabel, Map<String, List<double[]>> series) {
        double xMin = Double.POSITIVE_INFINITY;
        double xMax = Double.NEGATIVE_INFINITY;
        double yMin = Double.POSITIVE_INFINITY;
        double yMax = Double.NEGATIVE_INFINITY;
        for (List<double[]> pts : series.values()) {
            for (double[] p : pts) {
                if (Double.isFinite(p[0]) && Double.isFinite(p[1])) {
                    xMin = Math.min(xMin, p[0]);
                    xMax = Math.max(xMax, p[0]);
                    yMin = Math.min(yMin, p[1]);
                    yMax = Math.max(yMax, p[1]);
                }
            }
        }
        if (!Double.isFinite(xMin)) {
            return "<p>(" + esc(title) + ": no data)</p>";
        }
        if (xMax == xMin) {
            xMax = xMin + 1;
        }
        if (yMax - yMin < 1e-9) {
            yMax = yMin + 1;
        }
        double pad = (yMax - yMin) * 0.05;
        yMin -= pad;
        yMax += pad;
        StringBuilder sb = frame(title, xLabel, yLabel, xMin, xMax, yMin, yMax);
        int i = 0;
        for (Map.Entry<String, List<double[]>> e : series.entrySet()) {
            String color = COLORS[i % COLORS.length];
            StringBuilder path = new StringBuilder();
            for (double[] p : e.getValue()) {
                if (!Double.isFinite(p[0]) || !Double.isFinite(p[1])) {
                    continue;
                }
                double x = sx(p[0], xMin, xMax);
                double y = sy(p[1], yMin, yMax);
                path.append(path.length() == 0 ? "M" : " L").append(f(x)).append(',').append(f(y));
                sb.append("<circle cx=\"").append(f(x)).append("\" cy=\"").append(f(y)).append("\" r=\"2.5\" fill=\"").append(color)
                        .append("\"/>");
            }
            sb.append("<path d=\"").append(path).append("\" fill=\"none\" stroke=\"").append(color).append("\" stroke-width=\"2\"/>");
            legend(sb, i, e.getKey(), color);
            i++;
        }
        return sb.append("</svg>").toString();
    }

    /** A grouped bar chart: {@code values.get(series)[category]}, y from 0 to 1 (accuracies). */
    public static String barChart(String title, List<String> categories, Map<String, double[]> values) {
        StringBuilder sb = frame(title, "", "accuracy", 0, 1, 0, 1.0);
        int groups = categories.size();
        int n = values.size();
        double plotW = W - L - R;
        double groupW = plotW / Math.max(1, groups);
        double barW = groupW * 0.8 / Math.max(1, n);
        int s = 0;
        for (Map.Entry<String, double[]> e : values.entrySet()) {
            String color = COLORS[s % COLORS.length];
            for (int g = 0; g < groups; g++) {
                double v = g < e.getValue().length ? e.getValue()[g] : Double.NaN;
                if (!Double.isFinite(v)) {
                    continue;
                }
                double x = L + g * groupW + groupW * 0.1 + s * barW;
                double y = sy(v, 0, 1);
                sb.append("<rect x=\"").append(f(x)).append("\" y=\"").append(f(y)).append("\" width=\"").append(f(barW * 0.95))
                        .append("\" height=\"").append(f(H - B - y)).append("\" fill=\"").append(color).append("\"><title>")
                        .append(esc(e.getKey() + " / " + categories.get(g) + ": " + String.format(Locale.ROOT, "%.3f", v)))
                        .append("</title></rect>");
            }
            legend(sb, s, e.getKey(), color);
            s++;
        }
        for (int g = 0; g < groups; g++) {
            sb.append(text(L + (g + 0.5) * groupW, H - B + 16, categories.get(g), "middle", 11));
        }
        return sb.append("</svg>").toString();
    }

    private static StringBuilder frame(String title, String xLabel, String yLabel, double xMin, double xMax, double yMin, double yMax) {
        StringBuilder sb = new StringBuilder();
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(W).append("\" height=\"").append(H)
                .append("\" viewBox=\"0 0 ").append(W).append(' ').append(H).append("\" font-family=\"sans-serif\">");
        sb.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>");
        sb.append(text(W / 2.0, 18, title, "middle", 14));
        sb.append("<line x1=\"").append(L).append("\" y1=\"").append(H - B).append("\" x2=\"").append(W - R).append("\" y2=\"")
                .append(H - B).append("\" stroke=\"black\"/>");
        sb.append("<line x1=\"").append(L).append("\" y1=\"").append(T).append("\" x2=\"").append(L).append("\" y2=\"").append(H - B)
                .append("\" stroke=\"black\"/>");
        for (int k = 0; k <= 4; k++) {
            double v = yMin + (yMax - yMin) * k / 4;
            double y = sy(v, yMin, yMax);
            sb.append("<line x1=\"").append(L).append("\" y1=\"").append(f(y)).append("\" x2=\"").append(W - R).append("\" y2=\"")
                    .append(f(y)).append("\" stroke=\"#ddd\"/>");
            sb.append(text(L - 6, y + 4, String.format(Locale.ROOT, "%.2f", v), "end", 10));
        }
        if (!xLabel.isEmpty()) {
            for (int k = 0; k <= 4; k++) {
                double v = xMin + (xMax - xMin) * k / 4;
                sb.append(text(sx(v, xMin, xMax), H - B + 14, String.format(Locale.ROOT, v == Math.rint(v) ? "%.0f" : "%.2f", v), "middle", 10));
            }
            sb.append(text((L + W - R) / 2.0, H - 8, xLabel, "middle", 12));
        }
        sb.append("<text x=\"14\" y=\"").append(f((T + H - B) / 2.0)).append("\" font-size=\"12\" text-anchor=\"middle\" transform=\"rotate(-90 14 ")
                .append(f((T + H - B) / 2.0)).append(")\">").append(esc(yLabel)).append("</text>");
        return sb;
    }

    private static void legend(StringBuilder sb, int i, String name, String color) {
        int y = T + 10 + i * 18;
        sb.append("<rect x=\"").append(W - R + 10).append("\" y=\"").append(y - 9).append("\" width=\"12\" height=\"12\" fill=\"")
                .append(color).append("\"/>");
        sb.append(text(W - R + 28, y + 1, name, "start", 11));
    }

    private static String text(double x, double y, String s, String anchor, int size) {
        return "<text x=\"" + f(x) + "\" y=\"" + f(y) + "\" font-size=\"" + size + "\" text-anchor=\"" + anchor + "\">" + esc(s) + "</text>";
    }

    private static double sx(double v, double lo, double hi) {
        return L + (v - lo) / (hi - lo) * (W - L - R);
    }

    private static double sy(double v, double lo, double hi) {
        return H - B - (v - lo) / (hi - lo) * (H - B - T);
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /** Escapes text for XML/HTML. */
    public static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    static List<double[]> points(List<?> pairs) {
        List<double[]> out = new ArrayList<>();
        for (Object o : pairs) {
            List<?> p = (List<?>) o;
            out.add(new double[] {num(p.get(0)), num(p.get(1))});
        }
        return out;
    }

    static double num(Object o) {
        return o instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
