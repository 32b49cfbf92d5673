package io.tutti.autograd;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/** Finds the concrete {@link Function} classes of a package on the class path (directories or jars). */
final class FunctionClasses {
    private FunctionClasses() {
    }

    static List<Class<? extends Function>> in(String packageName) throws IOException, URISyntaxException, ClassNotFoundException {
        String path = packageName.replace('.', '/');
        List<String> classNames = new ArrayList<>();
        Enumeration<URL> roots = Thread.currentThread().getContextClassLoader().getResources(path);
        while (roots.hasMoreElements()) {
            URL url = roots.nextElement();
            if (url.getProtocol().equals("file")) {
                File[] files = new File(url.toURI()).listFiles();
                for (File f : files == null ? new File[0] : files) {
                    addIfTopLevelClass(classNames, packageName, f.getName());
                }
            } else if (url.getProtocol().equals("jar")) {
                try (JarFile jar = ((JarURLConnection) url.openConnection()).getJarFile()) {
                    for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                        String name = e.nextElement().getName();
                        int slash = name.lastIndexOf('/');
                        if (slash >= 0 && name.substring(0, slash).equals(path)) {
                            addIfTopLevelClass(classNames, packageName, name.substring(slash + 1));
                        }
                    }
                }
            }
        }
        List<Class<? extends Function>> result = new ArrayList<>();
        for (String name : classNames) {
            Class<?> c = Class.forName(name);
            if (Function.class.isAssignableFrom(c) && !Modifier.isAbstract(c.getModifiers())) {
                result.add(c.asSubclass(Function.class));
            }
        }
        return result;
    }

    private static void addIfTopLevelClass(List<String> names, String packageName, String file) {
        if (file.endsWith(".class") && !file.contains("$")) {
            names.add(packageName + "." + file.substring(0, file.length() - ".class".length()));
        }
    }
}
