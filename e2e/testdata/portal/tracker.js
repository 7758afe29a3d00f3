window.ran.push("statistics-src");
document.cookie = "_pk_id.1.efgh=visitor; Path=/; Max-Age=3600; Domain=" + location.hostname;
